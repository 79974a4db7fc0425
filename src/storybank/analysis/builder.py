"""The guided story builder's assembly: from the parts a user typed to a DMA answer and a
45-second opening line.

Pure and template-based. The words of each part (its question, guidance and placeholder) and
the sentences that join the parts come from the profile's `builder:` section; the grammar of
the joins (an "I …" clause, "within …") is here. The templates carry no numbers: every number in the output is copied character for character from
what the user typed, and a skipped part becomes a visible placeholder such as `[USD value?]`
instead of a guess.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storybank.rubric.models import BUILDER_PART_KEYS

if TYPE_CHECKING:
    from storybank.rubric.models import BuilderAssembly, BuilderGuide, Profile

IMPACT_KINDS = ("impact", "risk", "conflict", "customer", "other")
DEFAULT_PROFILE = "binance"
# The parts the assembly knows how to place; their words come from the profile's `builder:`.
PART_KEYS: tuple[str, ...] = BUILDER_PART_KEYS


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

    def to_dict(self) -> dict[str, str]:
        """The part as JSON (the question and its guidance)."""
        return {
            "key": self.key,
            "label": self.label,
            "question": self.question,
            "strong": self.strong,
            "example": self.example,
            "placeholder": self.placeholder,
        }


def _guide(profile: "Profile | str") -> "BuilderGuide":
    from storybank.rubric.loader import resolve_profile

    return resolve_profile(profile).builder


def part_specs(profile: "Profile | str" = DEFAULT_PROFILE) -> tuple[PartSpec, ...]:
    """Every part the builder knows, as the profile words it, in the profile's order."""
    return tuple(
        PartSpec(key, part.label, part.question, part.strong, part.example, part.placeholder, tuple(part.kinds))
        for key, part in _guide(profile).parts.items()
    )


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


def parts_for(kind: str, profile: "Profile | str" = DEFAULT_PROFILE) -> tuple[PartSpec, ...]:
    """The parts the builder asks for a story of this kind, in the order it asks them."""
    specs = part_specs(profile)
    wanted = [spec for spec in specs if not spec.kinds or kind in spec.kinds]
    order = _guide(profile).order.get(kind)
    if order:  # parts the kind's order leaves out come last, in the profile's order
        wanted.sort(key=lambda spec: order.index(spec.key) if spec.key in order else len(order))
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

    def __init__(self, parts: dict[str, str | None], placeholders: dict[str, str]) -> None:
        unknown = sorted(set(parts) - set(PART_KEYS))
        if unknown:
            raise ValueError(f"unknown builder parts: {', '.join(unknown)}; expected {', '.join(PART_KEYS)}")
        self.values = {key: clean_part(parts.get(key)) for key in PART_KEYS}
        self.placeholders = placeholders
        self.missing: list[str] = []

    def has(self, key: str) -> bool:
        return bool(self.values[key])

    def __getitem__(self, key: str) -> str:
        if self.values[key]:
            return self.values[key]
        if key not in self.missing:
            self.missing.append(key)
        return self.placeholders[key]


def _recovery_phrase(recovery: str) -> str:
    if recovery.startswith("[") or re.match(r"^(in|within|after|over|by)\b", recovery, re.IGNORECASE):
        return recovery
    return f"within {recovery}"


def _derived(fill: _Filler, name: str) -> str:
    """A value made from a part (see `BUILDER_DERIVED`); a skipped part stays its placeholder."""
    if name == "decision_clause":  # a skipped decision still reads "I [decision?]": it has to be yours
        return _decision_clause(fill["decision"]) if fill.has("decision") else f"I {fill['decision']}"
    if name == "decision_owned":
        if not fill.has("decision"):
            return fill["decision"]
        clause = _decision_clause(fill["decision"])
        return clause[2:] if clause.startswith("I ") else _lower_first(clause)
    if name == "recovery":
        return _recovery_phrase(fill["recovery_time"])
    if name == "prevention_clause":
        return _first_person(fill["prevention"]) if fill.has("prevention") else fill["prevention"]
    return fill[name]


class _SentenceFormatter(string.Formatter):
    """Fills a profile's builder sentence: `{part}`, a derived value, `:lower` or `:upper`."""

    def __init__(self, fill: _Filler) -> None:
        self.fill = fill

    def get_value(self, key, args, kwargs) -> str:  # noqa: ANN001 (string.Formatter's signature)
        return _derived(self.fill, key)

    def format_field(self, value: str, format_spec: str) -> str:
        if format_spec == "lower":
            return _lower_first(value)
        if format_spec == "upper":
            return _upper_first(value)
        return value


def _answer(fill: _Filler, kind: str, assembly: "BuilderAssembly") -> list[str]:
    shape = "failure" if kind == "failure" else "impact"
    formatter = _SentenceFormatter(fill)
    return [
        formatter.format(sentence.text)
        for sentence in assembly.answer[shape]
        if sentence.when is None or fill.has(sentence.when) or kind in sentence.always_for
    ]


def _opening(fill: _Filler, kind: str, assembly: "BuilderAssembly") -> str:
    """Metric first, then the owned decision and the alignment, in one sentence."""
    return _SentenceFormatter(fill).format(assembly.opening["failure" if kind == "failure" else "impact"])


def assemble(parts: dict[str, str | None], kind: str = "impact", profile: "Profile | str" = DEFAULT_PROFILE) -> BuiltStory:
    """Assemble a DMA answer and a 45-second opening line from the builder's parts.

    `parts` maps part keys (see `PART_KEYS`) to what the user typed; missing or blank parts
    become the profile's placeholders. Raises ValueError for an unknown part key.
    """
    placeholders = {spec.key: spec.placeholder for spec in part_specs(profile)}
    assembly = _guide(profile).assembly
    fill = _Filler(parts, placeholders)
    sentences = _answer(fill, kind, assembly)
    opening = _opening(fill, kind, assembly)
    missing = tuple(key for key in PART_KEYS if key in fill.missing)
    return BuiltStory(
        answer=" ".join(sentences),
        opening_line=opening,
        missing=missing,
        placeholders=tuple(placeholders[key] for key in missing),
        opening_words=len(opening.split()),
    )
