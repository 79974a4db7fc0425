"""Reviewer-mode use cases, mixed into `Practice`: the scoring form, saving a review (from the
form, the CLI or an imported review file), the exported review file, and the calibration view.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storybank.errors import Conflict, InvalidInput, NotFound
from storybank.practice.attempts import Attempt, Review

if TYPE_CHECKING:
    from storybank.practice.bank_models import ReviewDimension, ReviewSettings
    from storybank.practice.review import Calibration, ScorePair
    from storybank.rubric.models import Profile

SUGGESTED_PROBES = 4
UID_CHARS = set("0123456789abcdef")


@dataclass(frozen=True)
class ReviewForm:
    """What a reviewer sees: the attempt, suggested probes, the anchored scoring form, and the
    reviews already given with their comparison to the analyzer."""

    attempt: Attempt
    dimensions: tuple["ReviewDimension", ...]
    suggested_probes: tuple[dict[str, Any], ...]
    review_uid: str
    reviews: tuple[Review, ...]
    pairs: tuple["ScorePair", ...]
    analyzer: dict[str, float | None]

    def to_dict(self) -> dict[str, Any]:
        """The shape of `GET /api/practice/attempts/{id}/review`."""
        return {
            "attempt": self.attempt.to_dict(),
            "dimensions": [
                {"id": d.id, "label": d.label, "signals": list(d.signals), "anchors": {str(k): v for k, v in d.anchors.items()}}
                for d in self.dimensions
            ],
            "suggested_probes": [dict(probe) for probe in self.suggested_probes],
            "review_uid": self.review_uid,
            "reviews": [review.to_dict() for review in self.reviews],
            "comparison": [pair.to_dict() for pair in self.pairs],
            "analyzer": dict(self.analyzer),
        }


@dataclass(frozen=True)
class SavedReview:
    """A review after saving; `duplicate` when the same review had already been saved."""

    review: Review
    duplicate: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The review's JSON plus `duplicate`."""
        return {**self.review.to_dict(), "duplicate": self.duplicate}


def _new_uid() -> str:
    return uuid.uuid4().hex


def _check_uid(value: str | None) -> str:
    if value is None or value == "":
        return _new_uid()
    if not isinstance(value, str) or len(value) != 32 or not set(value) <= UID_CHARS:
        raise InvalidInput("review_uid: expected 32 hexadecimal characters", field="review_uid")
    return value


class ReviewUseCases:
    """Reviewer mode; expects `self.bank`, `self.profile()`, `self.settings_for()`, `self.get_attempt()`."""

    def review_settings(self, profile: "Profile") -> "ReviewSettings":
        """The profile's reviewer form."""
        return self.settings_for(profile).review  # type: ignore[attr-defined]

    def _reviewable(self, attempt_id: int) -> tuple[Attempt, "Profile"]:
        attempt = self.get_attempt(attempt_id)  # type: ignore[attr-defined]
        if attempt.analysis is None:
            raise Conflict(f"attempt {attempt_id} has no analysed answer yet; review it once the answer is in")
        return attempt, self.profile(attempt.profile)  # type: ignore[attr-defined]

    def suggested_probes(self, attempt: Attempt, profile: "Profile") -> list[dict[str, Any]]:
        """The probe the drill asked, then probes for the answer's weakest signals (fitting its kind)."""
        from storybank.practice.probes import signals_weakest_first
        from storybank.practice.questions import probes_for

        chosen: list[dict[str, Any]] = [dict(attempt.probe)] if attempt.probe else []
        for signal in signals_weakest_first((attempt.analysis or {}).get("signals", {})):
            if len(chosen) >= SUGGESTED_PROBES:
                break
            for probe in probes_for(profile, signal, attempt.kind or "impact"):
                if probe.id not in {item["id"] for item in chosen}:
                    chosen.append(probe.to_dict())
                    break
        return chosen[:SUGGESTED_PROBES]

    def reviews(self, attempt_id: int | None = None) -> list[Review]:
        """Reviews of one attempt (or of every attempt), oldest first."""
        from storybank.store import practice_repository

        if attempt_id is not None:
            self.get_attempt(attempt_id)  # type: ignore[attr-defined]
        with self.bank.db.read() as conn:  # type: ignore[attr-defined]
            return practice_repository.fetch_reviews(conn, None if attempt_id is None else [attempt_id])

    def review_form(self, attempt_id: int) -> ReviewForm:
        """The reviewer's page for one attempt."""
        from storybank.practice.review import analyzer_on_scale, score_pairs

        attempt, profile = self._reviewable(attempt_id)
        settings = self.review_settings(profile)
        given = self.reviews(attempt_id)
        return ReviewForm(
            attempt=attempt,
            dimensions=tuple(settings.dimensions),
            suggested_probes=tuple(self.suggested_probes(attempt, profile)),
            review_uid=_new_uid(),
            reviews=tuple(given),
            pairs=tuple(pair for review in given for pair in score_pairs(attempt, review, settings)),
            analyzer={d.id: analyzer_on_scale(attempt.analysis, d) for d in settings.dimensions},
        )

    def add_review(
        self,
        attempt_id: int,
        *,
        reviewer: str,
        scores: dict[str, Any],
        comments: dict[str, Any] | None = None,
        note: str | None = None,
        review_uid: str | None = None,
        source: str = "form",
    ) -> SavedReview:
        """Save a reviewer's scores beside the analyzer's. Saving the same review (same uid) again
        is recognised and not recorded twice."""
        from storybank.practice.review import ReviewError, check_comments, check_reviewer, check_scores, check_text

        attempt, profile = self._reviewable(attempt_id)
        settings = self.review_settings(profile)
        try:
            values = {
                "reviewer": check_reviewer(reviewer),
                "scores": check_scores(scores or {}, settings),
                "comments": check_comments(comments, settings),
                "note": check_text(note, "note"),
            }
        except ReviewError as error:
            raise InvalidInput(str(error), field=error.field) from error
        return self._save_review(attempt, _check_uid(review_uid), values, source)

    def _save_review(self, attempt: Attempt, uid: str, values: dict[str, Any], source: str) -> SavedReview:
        from storybank.store import practice_repository

        with self.bank.db.write() as conn:  # type: ignore[attr-defined]
            existing = practice_repository.fetch_review_by_uid(conn, uid)
            if existing is not None:
                same = existing.attempt_id == attempt.id and all(getattr(existing, key) == value for key, value in values.items())
                if same:
                    return SavedReview(existing, duplicate=True)
                raise Conflict(
                    f"this review was already saved as review {existing.id} with different scores; "
                    "nothing was changed (export a new review file for a second review)"
                )
            row = {"uid": uid, "attempt_id": attempt.id, "source": source, "created_at": self.bank.clock(), **values}  # type: ignore[attr-defined]
            review_id = practice_repository.insert_review(conn, row)
            return SavedReview(practice_repository.fetch_review_by_uid(conn, uid) or Review(review_id, **row))

    # --- the review file --------------------------------------------------------------------

    def export_review_file(self, attempt_id: int) -> tuple[str, str]:
        """(suggested file name, text) of a review file for this attempt."""
        from storybank.practice.review import review_file_text, slug

        attempt, profile = self._reviewable(attempt_id)
        text = review_file_text(
            attempt, _new_uid(), self.review_settings(profile),
            [probe["text"] for probe in self.suggested_probes(attempt, profile)],
        )
        return f"review-{attempt.id}-{slug(attempt.question_id)}.yaml", text

    def import_review_file(self, raw: bytes, source: str = "review file") -> SavedReview:
        """Import a review file a reviewer filled in; importing it twice records it once."""
        import yaml

        from storybank.practice.review import ReviewError, parse_review_file
        from storybank.store import practice_repository

        text = _decode(raw, source)
        try:
            peek = yaml.safe_load(text)
        except yaml.YAMLError:
            peek = None
        uid = peek.get("attempt") if isinstance(peek, dict) else None
        attempt = None
        if isinstance(uid, str):
            with self.bank.db.read() as conn:  # type: ignore[attr-defined]
                attempt = practice_repository.fetch_attempt_by_uid(conn, uid)
        profile = self.profile(attempt.profile if attempt else None)  # type: ignore[attr-defined]
        try:
            parsed = parse_review_file(text, source, self.review_settings(profile))
        except ReviewError as error:
            raise InvalidInput(str(error), file=source, line=error.line, field=error.field) from error
        if attempt is None:
            raise NotFound(
                f"{source}: attempt {parsed.attempt_uid} is not in this story bank; "
                "import the file on the machine that exported it"
            )
        if attempt.analysis is None:
            raise Conflict(f"{source}: attempt {attempt.id} has no analysed answer")
        values = {"reviewer": parsed.reviewer, "scores": parsed.scores, "comments": parsed.comments, "note": parsed.note}
        return self._save_review(attempt, parsed.review_uid, values, "file")

    # --- calibration ------------------------------------------------------------------------

    def calibration(self, profile: str | None = None) -> "Calibration":
        """Where reviewers and the analyzer disagree, over every review."""
        from storybank.practice.review import calibrate
        from storybank.store import practice_repository

        settings = self.review_settings(self.profile(profile))  # type: ignore[attr-defined]
        with self.bank.db.read() as conn:  # type: ignore[attr-defined]
            reviews = practice_repository.fetch_reviews(conn)
            attempts = {attempt_id: practice_repository.fetch_attempt(conn, attempt_id) for attempt_id in {r.attempt_id for r in reviews}}
        reviewed = [(attempts[review.attempt_id], review) for review in reviews if attempts.get(review.attempt_id)]
        return calibrate(reviewed, settings)


def _decode(raw: bytes, source: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{source}: invalid UTF-8 at byte {error.start}; expected a text file", file=source) from error
    if "\x00" in text:
        raise InvalidInput(f"{source}: binary content (NUL bytes); expected a review file", file=source)
    return text
