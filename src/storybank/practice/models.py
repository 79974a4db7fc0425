"""Pydantic models for the practice parts of a profile (validated strictly, like the rubric)."""

from __future__ import annotations

from string import Formatter

from pydantic import BaseModel, ConfigDict, Field, model_validator

# The values a delivery hint may name in {braces} (filled in by `delivery.hint_values`).
HINT_PLACEHOLDERS = frozenset({
    "wpm", "wpm_min", "wpm_max", "filler_count", "filler_percent", "max_filler_percent",
    "pause_count", "longest_pause_s", "long_pause_s", "first_metric_s", "first_metric_max_s",
})


class DeliveryHints(BaseModel):
    """What to tell the speaker when a delivery target is missed (`{placeholders}` filled in)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    too_slow: str = Field(min_length=1)
    too_fast: str = Field(min_length=1)
    too_many_fillers: str = Field(min_length=1)
    long_pauses: str = Field(min_length=1)
    metric_late: str = Field(min_length=1)
    no_metric: str = Field(min_length=1)

    @model_validator(mode="after")
    def _known_placeholders(self) -> "DeliveryHints":
        for name, template in self.model_dump().items():
            try:
                fields = {field for _, field, _, _ in Formatter().parse(template) if field is not None}
            except ValueError as error:
                raise ValueError(f"{name}: {error}") from error
            unknown = sorted(fields - HINT_PLACEHOLDERS)
            if unknown:
                known = ", ".join(sorted(HINT_PLACEHOLDERS))
                raise ValueError(f"{name}: unknown placeholder {{{unknown[0]}}}; known: {known}")
        return self


class DeliveryTargets(BaseModel):
    """A profile's `delivery:` section: targets for a spoken answer and how to measure it."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    wpm_min: float = Field(gt=0, description="slowest comfortable rate, words per minute")
    wpm_max: float = Field(gt=0, description="fastest comfortable rate, words per minute")
    max_filler_ratio: float = Field(ge=0, le=1, description="fillers as a share of all words")
    long_pause_s: float = Field(gt=0, description="a silence between words longer than this is a long pause")
    sentence_pause_s: float = Field(gt=0, description="a silence this long ends a sentence in the transcript")
    min_silence_s: float = Field(ge=0, description="shorter gaps between words still count as speaking")
    first_metric_max_s: float = Field(gt=0, description="the first impact metric should be stated by then")
    series_window_s: float = Field(gt=0, description="window of the words-per-minute series")
    max_recording_s: float = Field(gt=0, description="longer recordings are refused")
    fillers: list[str] = Field(min_length=1, description="filler words and phrases, lower case")
    hints: DeliveryHints

    @model_validator(mode="after")
    def _ordered_rates(self) -> "DeliveryTargets":
        if self.wpm_min > self.wpm_max:
            raise ValueError("wpm_min must not exceed wpm_max")
        if self.sentence_pause_s > self.long_pause_s:
            raise ValueError("sentence_pause_s must not exceed long_pause_s")
        return self
