"""The `process:` and `offer:` sections of a profile: the planners' defaults, as data.

Every figure may name where it comes from (`sources: {field: label key}`, `labels: {label key:
text}`), so the planners can show "reported by the guide — confirm with your recruiter" or
"a generic assumption" beside it. A figure a profile does not know is simply left out; the
planners then ask the user for it instead of guessing. Unknown keys are rejected.
"""

from __future__ import annotations

from string import Formatter
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Frequency = Literal["monthly", "quarterly", "annual"]
Lever = Literal["equity", "base", "sign_on", "bonus"]
RoundSelection = Literal["each", "first", "final"]

# Placeholders a task title may use; `the_round` reads "the first screen" for a named round
# and "round 4" for an unnamed one.
TASK_PLACEHOLDERS = frozenset({"round", "rounds", "round_name", "the_round", "principles"})

# Placeholders a negotiation-script sentence may use (see `planning.negotiation`).
SCRIPT_PLACEHOLDERS = frozenset(
    {
        "equity",
        "vesting",
        "grant_values",
        "evidence",
        "target_equity",
        "target_base",
        "target_sign_on",
        "base",
        "band_low",
        "band_high",
        "band_source",
        "sign_on",
        "reference_sign_on",
        "reference_equity",
        "equity_source",
        "sign_on_source",
        "bonus_percent",
        "current_base",
        "base_change",
        "frequency",
        "frequency_source",
    }
)


class Strict(BaseModel):
    """Unknown keys are errors, so a typo in a profile never becomes a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _check_placeholders(template: str, allowed: frozenset[str], where: str) -> str:
    try:
        names = {field for _, field, _, _ in Formatter().parse(template) if field is not None}
    except ValueError as error:
        raise ValueError(f"{where}: malformed placeholder ({error})") from error
    unknown = sorted(name for name in names if name not in allowed)
    if unknown:
        known = ", ".join(sorted(allowed))
        raise ValueError(f"{where}: unknown placeholder {{{unknown[0]}}}; known: {known}")
    return template


class DayRange(Strict):
    """A duration as low / expected / high (business or calendar days, as the field says)."""

    low: int = Field(ge=0, le=365)
    expected: int = Field(ge=0, le=365)
    high: int = Field(ge=0, le=365)

    @model_validator(mode="after")
    def _ordered(self) -> "DayRange":
        if not self.low <= self.expected <= self.high:
            raise ValueError("expected low <= expected <= high")
        return self


class MoneyBand(Strict):
    """A range of US dollars; `expected` is optional (e.g. a typical current base)."""

    low: float = Field(ge=0)
    high: float = Field(ge=0)
    expected: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> "MoneyBand":
        middle = self.low if self.expected is None else self.expected
        if not self.low <= middle <= self.high:
            raise ValueError("expected low <= expected <= high")
        return self


class TaskTemplate(Strict):
    """A preparation task attached to rounds, due some days before each chosen round."""

    kind: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str = Field(min_length=1)
    rounds: RoundSelection = "each"
    days_before: int = Field(ge=0, le=60)
    day_kind: Literal["business", "calendar"] = "calendar"

    @field_validator("title")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        return _check_placeholders(value, TASK_PLACEHOLDERS, "title")


class Provenance(Strict):
    """Where each figure comes from: `sources` maps a field to a key of `labels`."""

    sources: dict[str, str] = Field(default_factory=dict)
    labels: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _sources_are_labelled(self) -> "Provenance":
        figures = set(type(self).model_fields) - {"sources", "labels"}
        for field, label in self.sources.items():
            if field not in figures:
                raise ValueError(f"sources.{field}: no such field")
            if label not in self.labels:
                raise ValueError(f"sources.{field}: no label {label!r} in labels")
        return self

    def source_of(self, field: str) -> str | None:
        """The label text for a field's figure, or None when the profile does not say."""
        key = self.sources.get(field)
        return self.labels.get(key) if key else None

    def source_labels(self) -> dict[str, str]:
        """Every labelled field with its label text (for pages and JSON)."""
        return {field: self.labels[key] for field, key in self.sources.items()}


class ProcessDefaults(Provenance):
    """The hiring process as the profile expects it; business days unless a name says otherwise."""

    rounds: int | None = Field(default=None, ge=1, le=12)
    round_names: list[str] = Field(default_factory=list)
    round_gap_business_days: DayRange | None = None
    decision_business_days: DayRange | None = None
    paperwork_business_days: DayRange | None = None
    first_screen_to_offer_days: DayRange | None = None
    round_principles: dict[int, list[str]] = Field(default_factory=dict)
    tasks: list[TaskTemplate] = Field(default_factory=list)
    country: str | None = None
    subdivision: str | None = None

    @model_validator(mode="after")
    def _rounds_consistent(self) -> "ProcessDefaults":
        limit = self.rounds or 12
        if len(self.round_names) > limit:
            raise ValueError(f"round_names: {len(self.round_names)} names for {limit} rounds")
        for number in self.round_principles:
            if not 1 <= number <= limit:
                raise ValueError(f"round_principles.{number}: no such round (1..{limit})")
        return self


class NegotiationScript(Strict):
    """The sentences of the negotiation script; `{placeholders}` are filled with the numbers."""

    opening: str
    equity: str
    equity_missing: str
    base_below_band: str
    base_in_band: str
    base_above_band: str
    base_no_band: str
    sign_on: str
    sign_on_missing: str
    bonus: str
    bonus_missing: str
    vesting: str
    close: str
    note_reference_equity: str
    note_band: str
    note_reference_sign_on: str
    note_current_base: str
    note_frequency: str

    @model_validator(mode="after")
    def _known_placeholders(self) -> "NegotiationScript":
        for name, template in self:
            _check_placeholders(template, SCRIPT_PLACEHOLDERS, name)
        return self


class OfferDefaults(Provenance):
    """Offer figures the profile reports, vesting defaults and negotiation guidance."""

    base: MoneyBand | None = None
    sign_on: float | None = Field(default=None, ge=0)
    bonus_percent: float | None = Field(default=None, ge=0, le=1000)
    equity_percent: float | None = Field(default=None, ge=0, le=100)
    vest_years: int | None = Field(default=None, ge=1, le=10)
    cliff_months: int | None = Field(default=None, ge=0, le=120)
    frequency: Frequency | None = None
    typical_current_base: MoneyBand | None = None
    negotiation_order: list[Lever] = Field(default_factory=list)
    script: NegotiationScript | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "OfferDefaults":
        if self.vest_years is not None and self.cliff_months is not None:
            if self.cliff_months > self.vest_years * 12:
                raise ValueError("cliff_months is longer than the vesting period")
        if len(set(self.negotiation_order)) != len(self.negotiation_order):
            raise ValueError("negotiation_order: a lever appears twice")
        return self
