"""Pydantic models for rubric profiles and rule declarations.

Profiles and rules are data (YAML); these models validate them strictly: unknown keys are
errors, so a typo never becomes a silent default.
"""

from __future__ import annotations

from string import Formatter
from typing import Annotated, ClassVar, Literal, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from storybank.planning.models import OfferDefaults, ProcessDefaults
from storybank.practice.bank_models import PracticeSettings, Probe, Question, check_question_bank
from storybank.practice.models import DeliveryTargets
from storybank.rubric.vocabulary import (  # noqa: F401 (SIGNAL_IDS, STORY_KINDS re-exported for callers)
    SIGNAL_IDS,
    STORY_KINDS,
    Severity,
    SignalId,
    StoryKind,
)

# Facts the analyzer extracts from an answer; rules refer to them by these names.
Feature = Literal[
    "owned_decision",
    "first_person_action",
    "team_attribution",
    "quantity",
    "impact_quantity",
    "headline_metric",
    "usd_value",
    "named_function",
    "alignment_action",
    "delivery_time",
    "customer_outcome",
    "named_rule",
    "quantified_tradeoff",
    "failure_event",
    "post_mortem",
    "recovery_time",
    "prevention",
]


class Strict(BaseModel):
    """Base for every profile model: unknown keys are rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Example(Strict):
    """A text on which a rule must fire, and the exact substring it must flag."""

    text: str
    flagged: str

    @model_validator(mode="after")
    def _flagged_is_in_text(self) -> "Example":
        if self.flagged not in self.text:
            raise ValueError(f"flagged text {self.flagged!r} does not occur in the example")
        return self


class Examples(Strict):
    """Each rule carries its own examples: texts it must flag and texts it must leave alone."""

    bad: list[Example] = Field(min_length=1)
    good: list[str] = Field(min_length=1)
    kind: StoryKind | None = None


class RuleBase(Strict):
    """Fields shared by every rule kind."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    signal: SignalId
    severity: Severity
    message: str = Field(min_length=1)
    hint: str = Field(min_length=1)
    penalty: float = Field(default=0.0, ge=0.0, le=1.0)
    story_kinds: list[StoryKind] = Field(default_factory=list)
    description: str = ""
    examples: Examples


class PhraseRule(RuleBase):
    """Flags each occurrence of a lexicon's terms (or of regular expressions)."""

    kind: Literal["phrase"]
    lexicon: str | None = None
    patterns: list[str] = Field(default_factory=list)
    scope: Literal["text", "first_sentence"] = "text"
    at_start: bool = False
    unless_sentence_has: list[Feature] = Field(default_factory=list)
    unless_text_has: list[Feature] = Field(default_factory=list)
    max_findings: int = Field(default=3, ge=1)

    @model_validator(mode="after")
    def _has_something_to_match(self) -> "PhraseRule":
        if not self.lexicon and not self.patterns:
            raise ValueError("a phrase rule needs a lexicon or patterns")
        return self


class RatioRule(RuleBase):
    """Flags a text where one lexicon outweighs another (e.g. "we" over "I")."""

    kind: Literal["ratio"]
    numerator: str
    denominator: str
    max_ratio: float = Field(gt=0)
    min_count: int = Field(default=2, ge=1)


class CoOccurrenceRule(RuleBase):
    """Flags a text where every `present` feature is found and every `absent` one is not."""

    kind: Literal["co_occurrence"]
    present: list[Feature] = Field(default_factory=list)
    absent: list[Feature] = Field(min_length=1)
    span: Literal["first_sentence", "present", "text"] = "first_sentence"


class QuantityNearKpiRule(RuleBase):
    """Flags numbers that sit near no KPI or direction word, when no number does."""

    kind: Literal["quantity_near_kpi"]


class PositionRule(RuleBase):
    """Flags an answer whose first sentence carries none of the `requires_any` features."""

    kind: Literal["position"]
    requires_any: list[Feature] = Field(min_length=1)
    min_sentences: int = Field(default=2, ge=1)


class LengthRule(RuleBase):
    """Flags the part of the opening or of the whole answer that runs past its time limit."""

    kind: Literal["length"]
    measure: Literal["opening", "answer"]


class CountRule(RuleBase):
    """Flags a text with more than `maximum` occurrences of a feature (e.g. diffuse metrics)."""

    kind: Literal["count"]
    feature: Feature
    maximum: int = Field(ge=1)


Rule = Annotated[
    Union[PhraseRule, RatioRule, CoOccurrenceRule, QuantityNearKpiRule, PositionRule, LengthRule, CountRule],
    Field(discriminator="kind"),
]


class RuleOverride(Strict):
    """What a profile may change about a rule without restating it."""

    enabled: bool = True
    severity: Severity | None = None
    penalty: float | None = Field(default=None, ge=0.0, le=1.0)


class SignalSpec(Strict):
    """A signal's weight in the overall score and the label shown to people."""

    weight: float = Field(ge=0.0)
    label: str


class Limits(Strict):
    """Time budgets, in seconds of speech at the profile's speaking rate."""

    opening_seconds: float = Field(gt=0)
    answer_seconds: float = Field(gt=0)


class VerdictThresholds(Strict):
    """Scores that separate the verdicts, on top of the rubric's required evidence."""

    decisive_min_score: float = Field(ge=0, le=100)
    nice_talk_max_score: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> "VerdictThresholds":
        if self.nice_talk_max_score > self.decisive_min_score:
            raise ValueError("nice_talk_max_score must not exceed decisive_min_score")
        return self


class Principle(Strict):
    """A company leadership principle and the signals that support it."""

    name: str = Field(min_length=1)
    description: str = ""
    signals: dict[SignalId, float]
    keywords: list[str] = Field(default_factory=list)

    @field_validator("signals")
    @classmethod
    def _some_weight(cls, value: dict[str, float]) -> dict[str, float]:
        if not value or sum(value.values()) <= 0:
            raise ValueError("a principle needs at least one signal with a positive weight")
        return value


BuilderPartKey = Literal[
    "decision", "dip", "kpi", "usd_value", "functions", "time_to_ship", "rule_tradeoff", "recovery_time", "prevention"
]
BUILDER_PART_KEYS: tuple[str, ...] = get_args(BuilderPartKey)


class BuilderPart(Strict):
    """One part the guided builder asks for, and what a strong answer to it looks like."""

    label: str = Field(min_length=1)
    question: str = Field(min_length=1)
    strong: str = Field(min_length=1)
    example: str = Field(min_length=1)
    # Shown in the answer where the part was skipped; no digits, so the builder never shows a
    # number the user did not type.
    placeholder: str = Field(pattern=r"^\[[^\d\[\]]+\]$")
    kinds: list[StoryKind] = Field(default_factory=list, description="story kinds that ask for it; empty: every kind")


# What a builder sentence may name besides the parts: the decision as an "I …" clause, that
# clause without its "I", the recovery time with "within" when it has no preposition of its
# own, and the prevention in the first person.
BUILDER_DERIVED = frozenset({"decision_clause", "decision_owned", "recovery", "prevention_clause"})
# `{kpi:lower}` lower-cases the first letter (not of an acronym), `{kpi:upper}` raises it.
BUILDER_CASES = frozenset({"", "lower", "upper"})


def _check_builder_template(template: str) -> str:
    known = set(BUILDER_PART_KEYS) | BUILDER_DERIVED
    for _, name, spec, _ in Formatter().parse(template):
        if name is None:
            continue
        if name not in known:
            raise ValueError(f"unknown placeholder {{{name}}}; known: {', '.join(sorted(known))}")
        if (spec or "") not in BUILDER_CASES:
            raise ValueError(f"{{{name}:{spec}}}: the only formats are :lower and :upper")
    return template


class BuilderSentence(Strict):
    """One sentence of an assembled answer, said only `when` its part was given (or always for
    the kinds in `always_for`)."""

    text: str = Field(min_length=1)
    when: BuilderPartKey | None = None
    always_for: list[StoryKind] = Field(default_factory=list)

    @field_validator("text")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        return _check_builder_template(value)


class BuilderAssembly(Strict):
    """How the parts become an answer and a 45-second opening: `failure` for failure stories,
    `impact` for every other kind. Skipped parts show their placeholder."""

    answer: dict[Literal["impact", "failure"], list[BuilderSentence]]
    opening: dict[Literal["impact", "failure"], str]

    @field_validator("answer", "opening")
    @classmethod
    def _both_shapes(cls, value: dict) -> dict:
        missing = [shape for shape in ("impact", "failure") if shape not in value]
        if missing:
            raise ValueError(f"missing: {', '.join(missing)}")
        return value

    @field_validator("opening")
    @classmethod
    def _opening_placeholders(cls, value: dict[str, str]) -> dict[str, str]:
        for template in value.values():
            _check_builder_template(template)
        return value


class BuilderGuide(Strict):
    """A profile's `builder:` section: the words of the guided builder, part by part, and the
    sentences that join the parts into an answer."""

    parts: dict[BuilderPartKey, BuilderPart]
    order: dict[StoryKind, list[BuilderPartKey]] = Field(
        default_factory=dict, description="kinds that ask their parts in another order than `parts`"
    )
    assembly: BuilderAssembly

    @field_validator("parts")
    @classmethod
    def _every_part(cls, value: dict[str, BuilderPart]) -> dict[str, BuilderPart]:
        missing = [key for key in BUILDER_PART_KEYS if key not in value]
        if missing:
            raise ValueError(f"missing parts: {', '.join(missing)}")
        return value

    @field_validator("order")
    @classmethod
    def _no_repeats(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for kind, keys in value.items():
            repeated = sorted({key for key in keys if keys.count(key) > 1})
            if repeated:
                raise ValueError(f"{kind}: {', '.join(repeated)} listed more than once")
        return value


QuantityKind = Literal["money", "percent", "multiple", "duration", "count", "number"]


class CoverageThresholds(Strict):
    """Where a story's support for a principle turns from weak to partial to strong."""

    strong: float = Field(gt=0, le=1)
    partial: float = Field(gt=0, le=1)
    tagged_floor: float = Field(ge=0, le=1, description="a principle the user tagged counts at least this much")
    max_questions_per_story: int = Field(ge=1, description="a story planned for more questions is warned about")
    expected_kinds: list[StoryKind] = Field(description="kinds a well-stocked bank has a story for")

    @model_validator(mode="after")
    def _ordered(self) -> "CoverageThresholds":
        if self.partial > self.strong:
            raise ValueError("partial must not exceed strong")
        return self


class Templates(Strict):
    """Texts whose `{placeholders}` are filled in by code; each field may use only its own."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {}

    @model_validator(mode="after")
    def _known_placeholders(self) -> "Templates":
        for name, template in self.model_dump().items():
            try:
                fields = {field for _, field, _, _ in Formatter().parse(template) if field is not None}
            except ValueError as error:
                raise ValueError(f"{name}: {error}") from error
            known = self.PLACEHOLDERS.get(name, frozenset())
            unknown = sorted(fields - known)
            if unknown:
                choices = ", ".join(f"{{{field}}}" for field in sorted(known)) or "none"
                raise ValueError(f"{name}: unknown placeholder {{{unknown[0]}}}; known: {choices}")
        return self


class ItemTexts(Templates):
    """The words of one readiness item: its label, why it is (not) done (`why_*`), and the next
    actions.

    Next actions are shown verbatim on every surface, so they name no command or button.
    """

    label: str = Field(min_length=1)


class GapTexts(Templates):
    """How the coverage matrix words its gaps and warnings."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "no_decisive_story": frozenset({"principle"}),
        "no_story_of_kind": frozenset({"kind"}),
        "overused": frozenset({"story_id", "title", "questions"}),
    }
    no_decisive_story: str = Field(min_length=1)
    no_story_of_kind: str = Field(min_length=1)
    overused: str = Field(min_length=1)


# `{stories}` is a count with its noun ("1 story", "3 stories"); `{list}` names up to three stories.
_COUNTED = frozenset({"stories", "list"})


class CompleteStoriesTexts(ItemTexts):
    """Enough stories with every part of a complete story."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "label": frozenset({"needed"}),
        "why_done": frozenset({"stories", "parts"}),
        "why_short": frozenset({"stories", "parts", "needed"}),
        "add_parts": frozenset({"missing", "story"}),
    }
    why_done: str = Field(min_length=1)
    why_short: str = Field(min_length=1)
    add_parts: str = Field(min_length=1)
    build: str = Field(min_length=1)


class StoriesMappedTexts(ItemTexts):
    """Every story names a principle."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {"why_missing": _COUNTED, "tag": frozenset({"story"})}
    why_empty: str = Field(min_length=1)
    why_done: str = Field(min_length=1)
    why_missing: str = Field(min_length=1)
    add_story: str = Field(min_length=1)
    tag: str = Field(min_length=1)


class PrinciplesCoveredTexts(ItemTexts):
    """Every principle has a decisive story."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "why_missing": frozenset({"principles"}), "write": frozenset({"principle"})
    }
    why_no_principles: str = Field(min_length=1)
    why_done: str = Field(min_length=1)
    why_missing: str = Field(min_length=1)
    write: str = Field(min_length=1)


class ImpactQuantifiedTexts(ItemTexts):
    """Every story carries a quantified impact."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {"why_missing": _COUNTED, "quantify": frozenset({"story"})}
    why_empty: str = Field(min_length=1)
    why_done: str = Field(min_length=1)
    why_missing: str = Field(min_length=1)
    add_story: str = Field(min_length=1)
    quantify: str = Field(min_length=1)


class OpeningsTexts(ItemTexts):
    """Every story opens with its metric, within the opening budget."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "label": frozenset({"opening_seconds"}),
        "why_missing": _COUNTED,
        "rework": frozenset({"story"}),
        "rework_with_draft": frozenset({"story", "draft"}),
    }
    why_empty: str = Field(min_length=1)
    why_done: str = Field(min_length=1)
    why_missing: str = Field(min_length=1)
    add_story: str = Field(min_length=1)
    rework: str = Field(min_length=1)
    rework_with_draft: str = Field(min_length=1)


class ProbesPractisedTexts(ItemTexts):
    """Follow-up probes practised with risk-aware answers."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "why_done": frozenset({"count"}), "why_not_risk_aware": frozenset({"count"})
    }
    why_not_recorded: str = Field(min_length=1)
    why_done: str = Field(min_length=1)
    why_not_risk_aware: str = Field(min_length=1)
    why_none: str = Field(min_length=1)
    not_recorded: str = Field(min_length=1)
    answer_tradeoff: str = Field(min_length=1)
    drill: str = Field(min_length=1)


class MockInterviewTexts(ItemTexts):
    """A mock interview with reviewer feedback."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {"why_done": frozenset({"count"})}
    why_not_recorded: str = Field(min_length=1)
    why_done: str = Field(min_length=1)
    why_none: str = Field(min_length=1)
    not_recorded: str = Field(min_length=1)
    review: str = Field(min_length=1)


class ReadinessItems(Strict):
    """The words of each readiness item."""

    complete_stories: CompleteStoriesTexts
    stories_mapped: StoriesMappedTexts
    principles_covered: PrinciplesCoveredTexts
    impact_quantified: ImpactQuantifiedTexts
    openings: OpeningsTexts
    probes_practised: ProbesPractisedTexts
    mock_interview: MockInterviewTexts


class ReadinessRules(Strict):
    """A profile's `readiness:` section: coverage thresholds, the interview-ready checklist's
    thresholds, and the words of its items."""

    coverage: CoverageThresholds
    min_complete_stories: int = Field(ge=1)
    signal_present: float = Field(gt=0, le=1, description="a signal scoring at least this is present in a story")
    complete_story_signals: dict[SignalId, str] = Field(
        min_length=1, description="signals a complete story has, and how to name each when it is missing"
    )
    opening_signals: list[SignalId] = Field(min_length=1, description="signals a good opening has")
    quantified_kinds: list[QuantityKind] = Field(min_length=1, description="quantities that make an impact quantified")
    gaps: GapTexts
    items: ReadinessItems


class Profile(Strict):
    """A complete, merged rubric profile."""

    name: str
    description: str = ""
    extends: str | None = None
    source_note: str = ""
    speaking_rate_wpm: float = Field(gt=0)
    limits: Limits
    verdict: VerdictThresholds
    signals: dict[SignalId, SignalSpec]
    lexicons: dict[str, list[str]]
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    principles: list[Principle] = Field(default_factory=list)
    process: ProcessDefaults | None = None
    offer: OfferDefaults | None = None
    delivery: DeliveryTargets | None = None
    questions: list[Question] = Field(default_factory=list)
    probes: list[Probe] = Field(default_factory=list)
    practice: PracticeSettings | None = None
    builder: BuilderGuide
    readiness: ReadinessRules

    @model_validator(mode="after")
    def _question_bank_consistent(self) -> "Profile":
        check_question_bank([principle.name for principle in self.principles], self.questions, self.probes)
        return self

    @field_validator("signals")
    @classmethod
    def _all_signals(cls, value: dict[str, SignalSpec]) -> dict[str, SignalSpec]:
        missing = [signal for signal in SIGNAL_IDS if signal not in value]
        if missing:
            raise ValueError(f"missing signals: {', '.join(missing)}")
        return value

    def principle_names(self) -> list[str]:
        """Names of the profile's principles, in order."""
        return [principle.name for principle in self.principles]
