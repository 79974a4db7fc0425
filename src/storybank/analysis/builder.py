"""The guided story builder's assembly: from the parts a user typed to a DMA answer and a
45-second opening line.

Pure and template-based. The templates carry no numbers: every number in the output is
copied character for character from what the user typed, and a skipped part becomes a
visible placeholder such as `[USD value?]` instead of a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

IMPACT_KINDS = ("impact", "risk", "conflict", "customer", "other")


@dataclass(frozen=True)
class PartSpec:
    """One part the builder asks for, and what a strong answer to it looks like."""

    key: str
    label: str
    question: str
    strong: str
    example: str
    placeholder: str
    kinds: tuple[str, ...] = ()  # empty: asked for every kind


PARTS: tuple[PartSpec, ...] = (
    PartSpec(
        key="decision",
        label="Decision",
        question="What did you decide? One decision, and it has to be yours.",
        strong="First person and a decision verb (decided, chose, killed, owned); one decision, not a list of tasks.",
        example="I decided to route withdrawals through a risk-scored review queue",
        placeholder="[decision?]",
    ),
    PartSpec(
        key="dip",
        label="The dip",
        question="Which metric fell, and by how much?",
        strong="Name the metric and the size of the drop; own it, no blame.",
        example="the new onboarding flow cut completed sign-ups by 9 % in its first week",
        placeholder="[the dip: which metric fell, by how much?]",
        kinds=("failure",),
    ),
    PartSpec(
        key="kpi",
        label="KPI and change",
        question="Which one metric moved, from what to what (or by how much), in which direction?",
        strong="One headline KPI with a number and a direction; leave the other metrics for follow-ups.",
        example="manual review time fell 40 %",
        placeholder="[KPI and change?]",
    ),
    PartSpec(
        key="usd_value",
        label="USD value",
        question="What was that worth in dollars (revenue, volume, fines avoided, loss prevented)?",
        strong="A dollar figure tied to the KPI, with its period (per quarter, per year).",
        example="about $600k a year in analyst time",
        placeholder="[USD value?]",
    ),
    PartSpec(
        key="functions",
        label="Functions aligned",
        question="Which functions did you bring along, and how?",
        strong="Name the functions (risk, engineering, compliance, legal, data, ops) and the concrete step that aligned them.",
        example="risk, engineering and customer support",
        placeholder="[functions aligned?]",
    ),
    PartSpec(
        key="time_to_ship",
        label="Time to ship",
        question="How long did it take to ship?",
        strong="A delivery time in days or weeks.",
        example="5 weeks",
        placeholder="[time to ship?]",
    ),
    PartSpec(
        key="rule_tradeoff",
        label="Rule and trade-off",
        question="Which rule or regulation constrained you, and what did the trade-off cost or save?",
        strong="The rule by name (AML, KYC, travel rule, GDPR, leverage limits) and the trade-off in numbers.",
        example="the travel rule forced extra checks, and I still kept 95 % of transfers under two minutes",
        placeholder="[rule and trade-off?]",
        kinds=("risk",),
    ),
    PartSpec(
        key="recovery_time",
        label="Recovery time",
        question="How fast did the metric recover?",
        strong="A time to recovery (hours or days) and the level it recovered to.",
        example="within 4 days, back to the old baseline",
        placeholder="[recovery time?]",
        kinds=("failure",),
    ),
    PartSpec(
        key="prevention",
        label="Prevention",
        question="What mechanism now stops it from happening again?",
        strong="A mechanism (an alert, a gate, a review step), not a lesson learned.",
        example="added a launch gate that blocks a rollout when sign-up completion drops 2 points",
        placeholder="[prevention?]",
        kinds=("failure",),
    ),
)

PART_KEYS: tuple[str, ...] = tuple(spec.key for spec in PARTS)
_SPECS = {spec.key: spec for spec in PARTS}
_FIRST_PERSON = re.compile(r"^(I|I'm|I've|I'd|My|Me)\b")
_PAST_TENSE_VERB = re.compile(r"^[A-Za-z]+ed\b")


@dataclass(frozen=True)
class BuiltStory:
    """The builder's output: the DMA answer, the opening line, and what is still missing."""

    answer: str
    opening_line: str
    missing: tuple[str, ...] = field(default_factory=tuple)
    placeholders: tuple[str, ...] = field(default_factory=tuple)
    opening_words: int = 0

    def opening_seconds(self, speaking_rate_wpm: float) -> float:
        """Speaking time of the opening line at a rate in words per minute."""
        return round(self.opening_words * 60.0 / speaking_rate_wpm, 1)

    def to_dict(self) -> dict[str, object]:
        """The result as JSON."""
        return {
            "answer": self.answer,
            "opening_line": self.opening_line,
            "missing": list(self.missing),
            "placeholders": list(self.placeholders),
            "opening_words": self.opening_words,
        }


# A failure story is told from the dip: ask for it first, then how it was handled.
FAILURE_ORDER = ("dip", "decision", "recovery_time", "prevention", "kpi", "usd_value", "functions", "time_to_ship")


def parts_for(kind: str) -> tuple[PartSpec, ...]:
    """The parts the builder asks for a story of this kind, in the order it asks them."""
    wanted = [spec for spec in PARTS if not spec.kinds or kind in spec.kinds]
    if kind == "failure":
        wanted.sort(key=lambda spec: FAILURE_ORDER.index(spec.key))
    return tuple(wanted)


def clean_part(value: str | None) -> str:
    """A part as typed, trimmed, with inner whitespace collapsed and no final full stop."""
    text = " ".join((value or "").split())
    return text.rstrip(" .;,")


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _decision_clause(decision: str) -> str:
    """The decision as a clause that starts with "I …"."""
    if _FIRST_PERSON.match(decision):
        return decision
    if _PAST_TENSE_VERB.match(decision):
        return f"I {_lower_first(decision)}"
    return f"I decided to {_lower_first(decision)}"


def _first_person(text: str) -> str:
    """Keep a part that already speaks in the first person; otherwise prefix "I"."""
    return text if _FIRST_PERSON.match(text) else f"I {_lower_first(text)}"


class _Filler:
    """Hands out each part's text, or its placeholder, recording what was missing."""

    def __init__(self, parts: dict[str, str | None]) -> None:
        unknown = sorted(set(parts) - set(PART_KEYS))
        if unknown:
            raise ValueError(f"unknown builder parts: {', '.join(unknown)}; expected {', '.join(PART_KEYS)}")
        self.values = {key: clean_part(parts.get(key)) for key in PART_KEYS}
        self.missing: list[str] = []

    def has(self, key: str) -> bool:
        return bool(self.values[key])

    def __getitem__(self, key: str) -> str:
        if self.values[key]:
            return self.values[key]
        if key not in self.missing:
            self.missing.append(key)
        return _SPECS[key].placeholder


def _impact_answer(fill: _Filler, kind: str) -> list[str]:
    decision = fill["decision"]
    sentences = [f"{_decision_clause(decision) if fill.has('decision') else decision}."]
    sentences.append(f"The result: {_lower_first(fill['kpi'])}, worth {fill['usd_value']}.")
    sentences.append(f"I aligned {fill['functions']} and shipped it in {fill['time_to_ship']}.")
    if kind == "risk" or fill.has("rule_tradeoff"):
        sentences.append(f"On the risk side: {_lower_first(fill['rule_tradeoff'])}.")
    return sentences


def _failure_answer(fill: _Filler) -> list[str]:
    decision = fill["decision"]
    owned = decision
    if fill.has("decision"):
        clause = _decision_clause(decision)
        owned = clause[2:] if clause.startswith("I ") else _lower_first(clause)
    sentences = [f"{_upper_first(fill['dip'])}."]
    sentences.append(f"I owned the post-mortem and {owned}.")
    sentences.append(f"The metric recovered {_recovery_phrase(fill['recovery_time'])}, protecting {fill['usd_value']}.")
    if fill.has("kpi"):
        sentences.append(f"The result: {_lower_first(fill['kpi'])}.")
    sentences.append(f"I aligned {fill['functions']} and shipped the fix in {fill['time_to_ship']}.")
    prevention = fill["prevention"]
    sentences.append(f"To stop a repeat, {_first_person(prevention) if fill.has('prevention') else prevention}.")
    if fill.has("rule_tradeoff"):
        sentences.append(f"On the risk side: {_lower_first(fill['rule_tradeoff'])}.")
    return sentences


def _recovery_phrase(recovery: str) -> str:
    if recovery.startswith("[") or re.match(r"^(in|within|after|over|by)\b", recovery, re.IGNORECASE):
        return recovery
    return f"within {recovery}"


def _opening(fill: _Filler, kind: str) -> str:
    """Metric first, then the owned decision and the alignment, in one sentence."""
    decision = _decision_clause(fill["decision"]) if fill.has("decision") else f"I {fill['decision']}"
    if kind == "failure":
        return (
            f"After {_lower_first(fill['dip'])}, {decision} and the metric recovered "
            f"{_recovery_phrase(fill['recovery_time'])}, protecting {fill['usd_value']}."
        )
    return (
        f"{_upper_first(fill['kpi'])}, worth {fill['usd_value']}, after {decision} "
        f"and aligned {fill['functions']} to ship in {fill['time_to_ship']}."
    )


def assemble(parts: dict[str, str | None], kind: str = "impact") -> BuiltStory:
    """Assemble a DMA answer and a 45-second opening line from the builder's parts.

    `parts` maps part keys (see `PART_KEYS`) to what the user typed; missing or blank parts
    become placeholders. Raises ValueError for an unknown part key.
    """
    fill = _Filler(parts)
    sentences = _failure_answer(fill) if kind == "failure" else _impact_answer(fill, kind)
    opening = _opening(fill, kind)
    missing = tuple(key for key in PART_KEYS if key in fill.missing)
    placeholders = tuple(_SPECS[key].placeholder for key in missing)
    return BuiltStory(
        answer=" ".join(sentences),
        opening_line=opening,
        missing=missing,
        placeholders=placeholders,
        opening_words=len(opening.split()),
    )
