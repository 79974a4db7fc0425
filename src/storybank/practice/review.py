"""Reviewer mode: a person's 1–5 scores (anchored per dimension) beside the analyzer's, the
calibration between the two, and the review file a reviewer fills in away from the app.

Pure: attempts, reviews and the profile's `practice.review` settings come in as values; the
review file is produced and parsed as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from storybank.practice.attempts import Attempt, Review
from storybank.practice.bank_models import REVIEW_SCALE, ReviewDimension, ReviewSettings

REVIEW_FORMAT = "storybank-review"
REVIEW_FORMAT_VERSION = 1
MAX_COMMENT_CHARS = 5_000
MAX_REVIEWER_CHARS = 200
UID_PATTERN = r"^[0-9a-f]{32}$"


class ReviewError(ValueError):
    """Scores or a review file that cannot be used; names the field (and the line, for files)."""

    def __init__(self, message: str, *, field: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.line = line


# --- scores ----------------------------------------------------------------------------------


def check_scores(scores: Mapping[str, Any], settings: ReviewSettings) -> dict[str, int]:
    """Scores as {dimension id: 1–5}, in the profile's order; blanks dropped, at least one needed."""
    known = {dimension.id: dimension for dimension in settings.dimensions}
    for name in scores:
        if name not in known:
            raise ReviewError(f"scores.{name}: not a review dimension; expected one of: {', '.join(known)}", field=f"scores.{name}")
    checked: dict[str, int] = {}
    for dimension in settings.dimensions:
        value = scores.get(dimension.id)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        checked[dimension.id] = _one_to_five(value, f"scores.{dimension.id}")
    if not checked:
        raise ReviewError("scores: give at least one score from 1 to 5", field="scores")
    return checked


def _one_to_five(value: Any, field: str) -> int:
    if isinstance(value, bool):
        raise ReviewError(f"{field}: expected a whole number from 1 to 5", field=field)
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            raise ReviewError(f"{field}: {value[:20]!r} is not a whole number from 1 to 5", field=field)
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or value not in REVIEW_SCALE:
        raise ReviewError(f"{field}: {value!r} is outside the scale; expected a whole number from 1 to 5", field=field)
    return value


def check_comments(comments: Mapping[str, Any] | None, settings: ReviewSettings) -> dict[str, str]:
    """Comments per dimension (blank ones dropped); unknown dimensions and long texts refused."""
    known = {dimension.id for dimension in settings.dimensions}
    checked: dict[str, str] = {}
    for name, value in (comments or {}).items():
        if name not in known:
            raise ReviewError(f"comments.{name}: not a review dimension; expected one of: {', '.join(known)}", field=f"comments.{name}")
        text = check_text(value, f"comments.{name}")
        if text:
            checked[name] = text
    return checked


def check_text(value: Any, field: str, limit: int = MAX_COMMENT_CHARS) -> str:
    """A comment or note: text, no NUL, within the limit, trimmed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ReviewError(f"{field}: expected text", field=field)
    if "\x00" in value:
        raise ReviewError(f"{field}: contains a NUL character", field=field)
    if len(value) > limit:
        raise ReviewError(f"{field}: {len(value):,} characters; the limit is {limit:,}", field=field)
    return value.strip()


def check_reviewer(value: Any) -> str:
    """The reviewer's name, on one line."""
    name = " ".join(check_text(value, "reviewer", MAX_REVIEWER_CHARS).split())
    if not name:
        raise ReviewError("reviewer: who reviewed this? give a name (or initials)", field="reviewer")
    return name


# --- calibration -----------------------------------------------------------------------------


def analyzer_on_scale(analysis: Mapping[str, Any] | None, dimension: ReviewDimension) -> float | None:
    """The analyzer's view of a dimension on the reviewer's 1–5 scale (None when it has no signal)."""
    signals = (analysis or {}).get("signals", {})
    scores = [float(signals[name]["score"]) for name in dimension.signals if name in signals]
    if not scores:
        return None
    return round(1 + 4 * sum(scores) / len(scores), 1)


@dataclass(frozen=True)
class ScorePair:
    """A reviewer's score beside the analyzer's for one dimension of one attempt."""

    attempt_id: int
    review_id: int
    reviewer: str
    dimension: str
    label: str
    human: int
    analyzer: float | None
    gap: float | None  # human − analyzer
    disagree: bool
    comment: str

    def to_dict(self) -> dict[str, Any]:
        """The pair as JSON."""
        return {
            "attempt_id": self.attempt_id, "review_id": self.review_id, "reviewer": self.reviewer,
            "dimension": self.dimension, "label": self.label, "human": self.human, "analyzer": self.analyzer,
            "gap": self.gap, "disagree": self.disagree, "comment": self.comment,
        }


def score_pairs(attempt: Attempt, review: Review, settings: ReviewSettings) -> list[ScorePair]:
    """Each scored dimension of a review beside the analyzer's score for the same attempt."""
    pairs = []
    for dimension in settings.dimensions:
        if dimension.id not in review.scores:
            continue
        human = review.scores[dimension.id]
        machine = analyzer_on_scale(attempt.analysis, dimension)
        gap = None if machine is None else round(human - machine, 1)
        pairs.append(ScorePair(
            attempt_id=attempt.id, review_id=review.id, reviewer=review.reviewer, dimension=dimension.id,
            label=dimension.label, human=human, analyzer=machine, gap=gap,
            disagree=gap is not None and abs(gap) >= settings.disagreement, comment=review.comments.get(dimension.id, ""),
        ))
    return pairs


@dataclass(frozen=True)
class DimensionCalibration:
    """How reviewers and the analyzer compare on one dimension, over every review."""

    dimension: str
    label: str
    reviews: int
    human_mean: float | None
    analyzer_mean: float | None
    mean_gap: float | None
    disagreements: int

    @property
    def reading(self) -> str:
        """In words: who scores higher, by how much."""
        if self.mean_gap is None or self.reviews == 0:
            return "not reviewed yet"
        if abs(self.mean_gap) < 0.5:
            return "reviewers and the analyzer agree"
        who = "reviewers score higher" if self.mean_gap > 0 else "the analyzer scores higher"
        return f"{who}, by {abs(self.mean_gap):.1f} points on average"

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON."""
        return {
            "dimension": self.dimension, "label": self.label, "reviews": self.reviews,
            "human_mean": self.human_mean, "analyzer_mean": self.analyzer_mean, "mean_gap": self.mean_gap,
            "disagreements": self.disagreements, "reading": self.reading,
        }


@dataclass(frozen=True)
class Calibration:
    """Where human reviewers and the analyzer disagree, per dimension and per attempt."""

    disagreement: float
    dimensions: tuple[DimensionCalibration, ...]
    pairs: tuple[ScorePair, ...]

    @property
    def disagreements(self) -> list[ScorePair]:
        """The pairs that are at least `disagreement` points apart, largest gap first."""
        return sorted((pair for pair in self.pairs if pair.disagree), key=lambda pair: (-abs(pair.gap or 0), pair.attempt_id))

    def to_dict(self) -> dict[str, Any]:
        """The shape of `storybank review calibration --json` and `GET /api/practice/calibration`."""
        return {
            "disagreement": self.disagreement,
            "dimensions": [row.to_dict() for row in self.dimensions],
            "disagreements": [pair.to_dict() for pair in self.disagreements],
            "pairs": [pair.to_dict() for pair in self.pairs],
        }


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def calibrate(reviewed: Sequence[tuple[Attempt, Review]], settings: ReviewSettings) -> Calibration:
    """Compare every review with the analyzer's scores for the same attempt."""
    pairs = [pair for attempt, review in reviewed for pair in score_pairs(attempt, review, settings)]
    rows = []
    for dimension in settings.dimensions:
        mine = [pair for pair in pairs if pair.dimension == dimension.id]
        compared = [pair for pair in mine if pair.gap is not None]
        rows.append(DimensionCalibration(
            dimension=dimension.id,
            label=dimension.label,
            reviews=len(mine),
            human_mean=_mean([pair.human for pair in mine]),
            analyzer_mean=_mean([pair.analyzer for pair in compared if pair.analyzer is not None]),
            mean_gap=_mean([pair.gap for pair in compared if pair.gap is not None]),
            disagreements=sum(pair.disagree for pair in mine),
        ))
    return Calibration(disagreement=settings.disagreement, dimensions=tuple(rows), pairs=tuple(pairs))


# --- the review file -------------------------------------------------------------------------


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line texts as `|` blocks, so the answer reads as it was typed."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _represent_text)


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_LiteralDumper, allow_unicode=True, sort_keys=False, width=100)


def review_file_text(
    attempt: Attempt, review_uid: str, settings: ReviewSettings, suggested_probes: Sequence[str]
) -> str:
    """The file a reviewer fills in: the attempt to read, then blank scores with their anchors."""
    header = [
        "# storybank review file. Read the answer, score each dimension from 1 to 5 using the anchors,",
        "# add comments, put your name under `reviewer`, save, and send the file back to the candidate,",
        "# who imports it with `storybank review import FILE`. Leave a score blank to skip it.",
        "# Please do not change `format`, `attempt` or `review`.",
    ]
    about = {
        "format": REVIEW_FORMAT,
        "format_version": REVIEW_FORMAT_VERSION,
        "attempt": attempt.uid,
        "review": review_uid,
        "question": attempt.question.get("text", ""),
        "opening": attempt.opening,
        "answer": attempt.answer or "",
        "probe": (attempt.probe or {}).get("text"),
        "probe_reply": attempt.probe_reply,
        "suggested_probes": list(suggested_probes),
    }
    about = {key: value for key, value in about.items() if value not in (None, [], "")}
    lines = [*header, _dump(about).rstrip("\n"), "", "# Your name (or initials):", 'reviewer: ""', "", "scores:"]
    for dimension in settings.dimensions:
        lines.append(f"  # {dimension.label}")
        lines += [f"  #   {score} = {dimension.anchors[score]}" for score in REVIEW_SCALE]
        lines.append(f"  {dimension.id}:")
    lines += ["", "# A comment per dimension (optional):", "comments:"]
    lines += [f'  {dimension.id}: ""' for dimension in settings.dimensions]
    lines += ["", "# Anything else the candidate should hear:", 'note: ""', ""]
    return "\n".join(lines)


class ReviewFile(BaseModel):
    """A filled-in review file as read back."""

    model_config = ConfigDict(extra="forbid")

    format: str
    format_version: int
    attempt: str = Field(pattern=UID_PATTERN)
    review: str = Field(pattern=UID_PATTERN)
    reviewer: Any = None
    scores: dict[str, Any] | None = None
    comments: dict[str, Any] | None = None
    note: Any = None
    # What the candidate sent along, for the reviewer to read; ignored on import.
    question: Any = None
    opening: Any = None
    answer: Any = None
    probe: Any = None
    probe_reply: Any = None
    suggested_probes: Any = None

    @field_validator("format")
    @classmethod
    def _ours(cls, value: str) -> str:
        if value != REVIEW_FORMAT:
            raise ValueError(f"expected {REVIEW_FORMAT!r}; this is not a storybank review file")
        return value

    @field_validator("format_version")
    @classmethod
    def _known(cls, value: int) -> int:
        if value > REVIEW_FORMAT_VERSION:
            raise ValueError(f"version {value} is newer than this storybank understands; upgrade storybank")
        return value


@dataclass(frozen=True)
class ParsedReview:
    """A review file's content, checked against the profile's dimensions."""

    attempt_uid: str
    review_uid: str
    reviewer: str
    scores: dict[str, int]
    comments: dict[str, str]
    note: str


def _key_lines(text: str) -> dict[str, int]:
    """Line of each top-level key and of each `parent.child` key, from the YAML node marks."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[str(key.value)] = key.start_mark.line + 1
            if isinstance(value, yaml.MappingNode):
                for child, _ in value.value:
                    lines[f"{key.value}.{child.value}"] = child.start_mark.line + 1
    return lines


def parse_review_file(text: str, source: str, settings: ReviewSettings) -> ParsedReview:
    """Read a filled-in review file; every error names the file, the line and the field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise ReviewError(f"{source}: line {line}: malformed YAML: {getattr(error, 'problem', None) or error}", line=line) from error
    if not isinstance(data, dict):
        raise ReviewError(f"{source}: line 1: expected a storybank review file", line=1)
    lines = _key_lines(text)

    def located(field: str, message: str) -> ReviewError:
        line = lines.get(field) or lines.get(field.split(".")[0]) or 1
        return ReviewError(f"{source}: line {line}: {message}", field=field, line=line)

    try:
        parsed = ReviewFile.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        message = "unknown field (check the spelling)" if problem["type"] == "extra_forbidden" else problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "missing":
            message = "required field is missing"
        raise located(field, f"{field}: {message}") from error
    try:
        return ParsedReview(
            attempt_uid=parsed.attempt,
            review_uid=parsed.review,
            reviewer=check_reviewer(parsed.reviewer),
            scores=check_scores(parsed.scores or {}, settings),
            comments=check_comments(parsed.comments, settings),
            note=check_text(parsed.note, "note"),
        )
    except ReviewError as error:
        raise located(error.field or "scores", str(error)) from error


def slug(text: str) -> str:
    """A file-name-friendly form of a question id or title."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60] or "attempt"
