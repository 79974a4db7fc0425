"""Practice use cases: the question bank, story matching, drills, history and reviews.

`Practice(bank)` works on an open `StoryBank` and shares its database, settings and clock, so
the web app and the CLI open the store once:

    with StoryBank(Settings.from_env()) as bank:
        practice = Practice(bank)
        result = practice.match("bn-reduced-churn")
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from storybank.errors import Conflict, InvalidInput, NotFound
from storybank.practice.attempts import Attempt
from storybank.practice_reviews import ReviewUseCases

if TYPE_CHECKING:
    from storybank.practice.bank_models import PracticeSettings, Question
    from storybank.practice.drill import DrillLimits, DrillSession
    from storybank.practice.history import History
    from storybank.practice.matching import MatchResult
    from storybank.readiness import PracticeSummary
    from storybank.rubric.models import Profile
    from storybank.service import StoryBank
    from storybank.settings import Settings


def load_profile_for(settings: "Settings", name: str | None = None) -> "Profile":
    """A profile by name or path (default: the active one); `InvalidInput` when unusable."""
    from storybank.rubric.loader import ProfileError, load_profile

    try:
        return load_profile(name or settings.active_profile())
    except ProfileError as error:
        raise InvalidInput(str(error), field="profile") from error


def question_bank(
    settings: "Settings", profile: str | None = None, *, principle: str | None = None, kind: str | None = None
) -> list["Question"]:
    """A profile's questions filtered by principle and story kind (no database needed)."""
    from storybank.practice.questions import UnknownChoice, filter_questions

    try:
        return filter_questions(load_profile_for(settings, profile), principle=principle, kind=kind)
    except UnknownChoice as error:
        raise InvalidInput(str(error), field="principle" if str(error).startswith("principle") else "kind") from error


class DrillAbandoned(Conflict):
    """A submission to a drill that saw no activity for too long (what it had is kept)."""


@dataclass(frozen=True)
class Submitted:
    """The drill after a submission; `duplicate` when the same text had already been accepted."""

    attempt: Attempt
    duplicate: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The attempt's JSON plus `duplicate`."""
        return {**self.attempt.to_dict(), "duplicate": self.duplicate}


@dataclass(frozen=True)
class Transcription:
    """A recording transcribed offline: what was said, its delivery metrics, and its length."""

    text: str
    metrics: dict[str, Any]
    seconds: float


class Practice(ReviewUseCases):
    """The practice use cases over one open story bank (its database, settings and clock);
    reviewer mode comes from `ReviewUseCases`."""

    def __init__(self, bank: "StoryBank", *, rng: random.Random | None = None) -> None:
        self.bank = bank
        self.rng = rng or random.Random()

    def now(self) -> datetime:
        """The current time from the story bank's clock (injectable in tests)."""
        return self.bank.clock()

    # --- profiles and the question bank -------------------------------------------------------

    def profile(self, name: str | None = None) -> "Profile":
        """A profile by name or path (default: the active one); `InvalidInput` when unusable."""
        return self.bank.load_profile(name)

    def settings_for(self, profile: "Profile") -> "PracticeSettings":
        """The profile's `practice:` section, or `InvalidInput` naming the profile."""
        from storybank.practice.questions import practice_settings

        try:
            return practice_settings(profile)
        except ValueError as error:
            raise InvalidInput(str(error), field="profile") from error

    def questions(
        self, profile: str | None = None, *, principle: str | None = None, kind: str | None = None
    ) -> list["Question"]:
        """The profile's questions, filtered by principle and story kind."""
        return question_bank(self.bank.settings, profile, principle=principle, kind=kind)

    def _profiles_to_search(self, first: str | None) -> Iterator["Profile"]:
        """The named profile, the active one, then every other loadable profile."""
        from storybank.rubric.loader import ProfileError, available_profiles, load_profile

        seen: set[str] = set()
        for name in (first, self.bank.default_profile(), *available_profiles()):
            if not name or name in seen:
                continue
            seen.add(name)
            try:
                yield load_profile(name)
            except ProfileError:
                continue  # a broken user profile must not hide the shipped questions

    def find_question(self, question_id: str, profile: str | None = None) -> tuple["Question", "Profile"]:
        """The question with this id and the profile it belongs to; `NotFound` with suggestions."""
        from storybank.practice.questions import find_question, similar_ids

        wanted = (question_id or "").strip()
        found = find_question(wanted, self._profiles_to_search(profile)) if wanted else None
        if found is None:
            hints = similar_ids(wanted, self._profiles_to_search(profile)) if wanted else []
            suggestion = f"; did you mean {', '.join(hints)}?" if hints else "; `storybank questions` lists them"
            raise NotFound(f"no question {wanted!r}{suggestion}")
        return found

    # --- matching stories to questions ---------------------------------------------------------

    def story_usage(self) -> dict[int, set[str]]:
        """For each story, the questions it is planned for (question links) or was drilled on."""
        from storybank.store import practice_repository

        with self.bank.db.read() as conn:
            _, _, usage = practice_repository.practice_counts(conn)
        for link in self.bank.question_links():
            usage.setdefault(link.story_id, set()).add(link.question_ref)
        return usage

    def match(self, question_id: str, profile: str | None = None) -> "MatchResult":
        """The user's stories ranked by fit to a question, with a warning when the best is overused."""
        from storybank.practice.matching import rank_stories

        question, question_profile = self.find_question(question_id, profile)
        stories = self.bank._stories_for_profile(question_profile, question_profile.name)
        return rank_stories(
            question,
            stories,
            self.settings_for(question_profile),
            profile=question_profile.name,
            usage=self.story_usage(),
            thresholds=question_profile.readiness.coverage,
        )

    # --- drills: starting -----------------------------------------------------------------------

    def _limits(self, profile: "Profile", mode: str) -> "DrillLimits":
        from storybank.practice.drill import DrillLimits

        settings = self.settings_for(profile)
        answer = settings.retrieval_seconds if mode == "retrieval" else profile.limits.answer_seconds
        return DrillLimits(
            opening_seconds=profile.limits.opening_seconds,
            answer_seconds=answer,
            abandon_after_seconds=settings.abandon_after_minutes * 60,
        )

    def pick_question(self, profile: "Profile") -> "Question":
        """A question of the profile, weighted towards weak principles and little-practised stories."""
        from storybank.coverage import compute_coverage
        from storybank.practice.drill import DrillError, choose_question
        from storybank.practice.matching import best_story_ids
        from storybank.store import practice_repository

        settings = self.settings_for(profile)
        stories = self.bank._stories_for_profile(profile, profile.name)
        thresholds = profile.readiness.coverage
        coverage = compute_coverage(stories, profile.principle_names(), profile=profile.name, thresholds=thresholds)
        gaps = {
            name: 1.0 - max((row.cells[name].strength for row in coverage.rows), default=0.0)
            for name in profile.principle_names()
        }
        with self.bank.db.read() as conn:
            per_question, per_story, _ = practice_repository.practice_counts(conn)
        try:
            return choose_question(
                profile.questions, settings.choice_weights, gaps,
                best_story_ids(profile.questions, stories, settings, thresholds), per_story, per_question, self.rng,
            )
        except DrillError as error:
            raise InvalidInput(f"profile {profile.name!r}: {error}", field="profile") from error

    def start_drill(
        self,
        question_id: str | None = None,
        *,
        profile: str | None = None,
        story_id: int | None = None,
        with_opening: bool = True,
        mode: str = "drill",
    ) -> Attempt:
        """Start a drill (or a retrieval drill) on a question, or on one picked for you."""
        from storybank.practice.drill import DrillSession
        from storybank.store import practice_repository

        if mode not in ("drill", "retrieval"):
            raise InvalidInput(f"mode: expected drill or retrieval, not {mode!r}", field="mode")
        if question_id:
            question, question_profile = self.find_question(question_id, profile)
        else:
            question_profile = self.profile(profile)
            question = self.pick_question(question_profile)
        if story_id is not None:
            self.bank.get_story(story_id)
        now = self.now()
        limits = self._limits(question_profile, mode)
        session = DrillSession.start(limits, now, with_opening=with_opening and mode == "drill")
        values = {
            "uid": uuid.uuid4().hex,
            "mode": mode,
            "profile": question_profile.name,
            "question_id": question.id,
            "question": question.to_dict(),
            "story_id": story_id,
            "limits": _limits_dict(limits),
            **_session_values(session),
        }
        with self.bank.db.write() as conn:
            attempt_id = practice_repository.insert_attempt(conn, values)
            return practice_repository.fetch_attempt(conn, attempt_id)

    # --- drills: reading ------------------------------------------------------------------------

    def get_attempt(self, attempt_id: int) -> Attempt:
        """An attempt by id; `NotFound` otherwise."""
        from storybank.store import practice_repository

        with self.bank.db.read() as conn:
            attempt = practice_repository.fetch_attempt(conn, attempt_id)
        if attempt is None:
            raise NotFound(f"no attempt {attempt_id}")
        return attempt

    def get_drill(self, uid: str) -> Attempt:
        """A drill by its uid; a drill idle for too long is marked abandoned on the way."""
        attempt = self._fetch_drill(uid)
        session = _session_of(attempt)
        now = self.now()
        if session.is_idle(now):
            self._save(attempt, session.abandoned(now), {})
            return self._fetch_drill(uid)
        return attempt

    def _fetch_drill(self, uid: str) -> Attempt:
        from storybank.store import practice_repository

        if not isinstance(uid, str) or len(uid) != 32 or not all(c in "0123456789abcdef" for c in uid):
            raise NotFound(f"no drill {str(uid)[:40]!r}")
        with self.bank.db.read() as conn:
            attempt = practice_repository.fetch_attempt_by_uid(conn, uid)
        if attempt is None:
            raise NotFound(f"no drill {uid!r}")
        return attempt

    def countdown(self, attempt: Attempt) -> dict[str, Any]:
        """The current step of a drill, its limit and the seconds left (negative when over)."""
        return _session_of(attempt).deadline(self.now())

    # --- drills: submitting ---------------------------------------------------------------------

    def _save(self, attempt: Attempt, session: "DrillSession", values: dict[str, Any]) -> bool:
        from storybank.store import practice_repository

        with self.bank.db.write() as conn:
            return practice_repository.update_attempt(
                conn, attempt.id, expected_phase=attempt.phase, values={**_session_values(session), **values}
            )

    def _advance(self, attempt: Attempt, step: str, text: str, move) -> "DrillSession | Submitted":
        """Apply one step to the drill's session; abandonment and duplicates handled here."""
        from storybank.practice.drill import Abandoned, DrillError, WrongStep

        session = _session_of(attempt)
        now = self.now()
        try:
            return move(session, now)
        except Abandoned as error:
            kept = {"opening": "opening", "answer": "answer", "probe": "probe_reply"}[step]
            late = {kept: text} if getattr(attempt, kept) is None and text and text.strip() else {}
            self._save(attempt, session.abandoned(now), late)
            raise DrillAbandoned(str(error)) from error
        except WrongStep as error:
            if error.duplicate:
                return Submitted(attempt, duplicate=True)
            raise Conflict(str(error)) from error
        except DrillError as error:
            raise InvalidInput(str(error), field=step) from error

    def _store_step(self, attempt: Attempt, session: "DrillSession", values: dict[str, Any], step: str, text: str) -> Submitted:
        if self._save(attempt, session, values):
            return Submitted(self._fetch_drill(attempt.uid))
        current = self._fetch_drill(attempt.uid)  # another request moved the drill first
        stored = {"opening": current.opening, "answer": current.answer, "probe": current.probe_reply}[step]
        if stored == text:
            return Submitted(current, duplicate=True)
        raise Conflict(f"this drill moved on while your {step} was being scored; reload it (your text was not recorded)")

    def submit_opening(self, uid: str, text: str, *, seconds: float | None = None, estimate: bool = False) -> Submitted:
        """Record the opening (the 45-second part); the answer's countdown starts."""
        import storybank

        attempt = self._fetch_drill(uid)
        profile = self.profile(attempt.profile)
        _check_length(text, "opening")
        analysis = storybank.analyze(text, profile=profile).to_dict() if text and text.strip() else None
        estimated = analysis["speaking_seconds"] if estimate and analysis else None
        moved = self._advance(attempt, "opening", text, lambda session, now: session.submit_opening(
            text, now, seconds=seconds, estimate=estimated))
        if isinstance(moved, Submitted):
            return moved
        return self._store_step(attempt, moved, {"opening": text, "opening_analysis": analysis}, "opening", text)

    def submit_answer(
        self,
        uid: str,
        text: str,
        *,
        seconds: float | None = None,
        estimate: bool = False,
        audio: dict[str, Any] | None = None,
    ) -> Submitted:
        """Record and analyse the full answer, then pick the probe for its weakest signal."""
        import storybank
        from storybank.practice.matching import detect_story
        from storybank.practice.probes import choose_probe, drill_summary
        from storybank.store import practice_repository

        attempt = self._fetch_drill(uid)
        profile = self.profile(attempt.profile)
        _check_length(text, "answer")
        report = storybank.analyze(text, profile=profile) if text and text.strip() else None
        estimated = report.speaking_seconds if estimate and report else None
        retrieval = attempt.mode == "retrieval"
        seconds_source = _seconds_source(audio, seconds)
        with self.bank.db.read() as conn:
            asked = practice_repository.probes_asked(conn)
        probe = None if retrieval or report is None else choose_probe(report, profile, asked)
        moved = self._advance(attempt, "answer", text, lambda session, now: session.submit_answer(
            text, now, seconds=seconds, estimate=estimated, probe_follows=probe is not None,
            seconds_source=seconds_source))
        if isinstance(moved, Submitted):
            return moved
        analysis = report.to_dict()
        values: dict[str, Any] = {
            "answer": text, "analysis": analysis, "score": analysis["score"], "verdict": analysis["verdict"],
            "kind": analysis["kind"], "probe": probe.to_dict() if probe else None, "audio": audio,
            "limits": {**attempt.limits, "probe_seconds": probe.max_seconds if probe else None},
        }
        if attempt.story_id is None and not retrieval:
            values["story_id"] = detect_story(text, self.bank._stories_for_profile(profile, profile.name),
                                              self.settings_for(profile))
        if retrieval:
            values["result"] = self._retrieval_result(attempt, moved, analysis, profile)
        else:
            values["result"] = drill_summary(analysis, profile, probe_signal=probe.signal if probe else None,
                                             check=None, timings=moved.timings())
        return self._store_step(attempt, moved, values, "answer", text)

    def submit_probe_reply(
        self,
        uid: str,
        text: str,
        *,
        seconds: float | None = None,
        estimate: bool = False,
        audio: dict[str, Any] | None = None,
    ) -> Submitted:
        """Record and judge the reply to the probe; the drill ends with its summary. A reply given
        out loud comes with its delivery metrics (`audio`) and is timed by the recording."""
        import storybank
        from storybank.practice.probes import check_reply, drill_summary, reply_features
        from storybank.practice.questions import find_probe

        attempt = self._fetch_drill(uid)
        profile = self.profile(attempt.profile)
        _check_length(text, "reply")
        if attempt.probe is None and attempt.phase not in ("opening", "answer"):
            raise Conflict("this drill has no probe to reply to")
        kind = attempt.kind or "auto"
        report = storybank.analyze(text, profile=profile, kind=kind) if text and text.strip() else None
        estimated = report.speaking_seconds if estimate and report else None
        seconds_source = _seconds_source(audio, seconds)
        moved = self._advance(attempt, "probe", text, lambda session, now: session.submit_probe_reply(
            text, now, seconds=seconds, estimate=estimated, seconds_source=seconds_source))
        if isinstance(moved, Submitted):
            return moved
        reply_analysis = report.to_dict()
        probe = find_probe(attempt.probe["id"], profile)
        check = None
        if probe is not None:
            check = check_reply(
                probe, reply_analysis, reply_features(text, profile), self.settings_for(profile),
                answer_analysis=attempt.analysis, reply_seconds=moved.probe_seconds,
            )
        summary = drill_summary(attempt.analysis, profile, probe_signal=attempt.probe["signal"], check=check,
                                timings=moved.timings())
        values = {
            "probe_reply": text, "probe_analysis": reply_analysis, "probe_check": check.to_dict() if check else None,
            "risk_aware": bool(check and check.risk_aware), "result": summary, "probe_audio": audio,
        }
        return self._store_step(attempt, moved, values, "probe", text)

    def finish_drill(self, uid: str) -> Attempt:
        """End a drill after its answer without replying to the probe."""
        from storybank.practice.drill import DrillError

        attempt = self.get_drill(uid)
        if attempt.phase in ("done", "abandoned"):
            return attempt
        try:
            finished = _session_of(attempt).finish(self.now())
        except DrillError as error:
            raise Conflict(str(error)) from error
        self._save(attempt, finished, {})
        return self._fetch_drill(uid)

    def run_drill(
        self,
        question_id: str,
        answer: str,
        *,
        opening: str | None = None,
        probe_reply: str | None = None,
        seconds: float | None = None,
        profile: str | None = None,
        story_id: int | None = None,
        audio: dict[str, Any] | None = None,
        probe_audio: "Transcription | None" = None,
    ) -> Attempt:
        """A whole drill in one call (the scriptable `storybank drill --question … --json`).

        `seconds` is the elapsed answer time; without it the answer's speaking time is estimated
        from its words. A probe reply is typed (`probe_reply`) or spoken (`probe_audio`, from
        `transcribe`). Nothing is stored unless the answer can be analysed.
        """
        for name, value in (("answer", answer), ("opening", opening), ("probe reply", probe_reply)):
            if value is not None and not value.strip():
                raise InvalidInput(f"{name}: empty; nothing to analyze", field=name.replace(" ", "_"))
        _check_length(answer, "answer")
        self.find_question(question_id, profile)
        attempt = self.start_drill(question_id, profile=profile, story_id=story_id, with_opening=opening is not None)
        if opening is not None:
            self.submit_opening(attempt.uid, opening, estimate=True)
        submitted = self.submit_answer(attempt.uid, answer, seconds=seconds, estimate=seconds is None, audio=audio)
        if submitted.attempt.probe is None:
            return submitted.attempt
        if probe_audio is not None:
            return self.submit_probe_reply(
                attempt.uid, probe_audio.text, seconds=probe_audio.seconds, audio=probe_audio.metrics
            ).attempt
        if probe_reply is not None:
            return self.submit_probe_reply(attempt.uid, probe_reply, estimate=True).attempt
        return self.finish_drill(attempt.uid)

    def transcribe(
        self,
        audio_path: str,
        profile: str | None = None,
        *,
        keep_audio: bool = False,
        backend: Any = None,
        field: str = "answer_audio",
    ) -> "Transcription":
        """A recording transcribed offline: its text, delivery metrics and length (and a copy
        kept in the audio folder only if `keep_audio`). `field` names the input in errors."""
        from pathlib import Path

        from storybank.practice.speech import analyze_speech

        source = Path(audio_path).expanduser()
        if not source.is_file():
            raise InvalidInput(f"{audio_path}: no such audio file", field=field, file=str(audio_path))
        report = analyze_speech(source, self.profile(profile), backend=backend)
        metrics = {key: value for key, value in report.to_dict().items() if key != "analysis"}
        metrics.update(approximate=True, source_file=source.name, kept_file=None)
        if keep_audio:
            metrics["kept_file"] = self._keep_audio(audio_path)
        return Transcription(report.text, metrics, float(report.metrics.duration_s))

    def run_spoken_drill(
        self,
        question_id: str,
        audio_path: str,
        *,
        keep_audio: bool = False,
        opening: str | None = None,
        probe_reply: str | None = None,
        profile: str | None = None,
        story_id: int | None = None,
        backend: Any = None,
        probe_audio: "Transcription | None" = None,
    ) -> Attempt:
        """A whole drill whose answer is a recording: transcribed offline, timed by its length,
        with the delivery metrics stored beside the analysis (the audio file only if `keep_audio`)."""
        question, question_profile = self.find_question(question_id, profile)
        spoken = self.transcribe(audio_path, question_profile.name, keep_audio=keep_audio, backend=backend)
        return self.run_drill(question.id, spoken.text, opening=opening, probe_reply=probe_reply, seconds=spoken.seconds,
                              profile=question_profile.name, story_id=story_id, audio=spoken.metrics,
                              probe_audio=probe_audio)

    def _keep_audio(self, audio_path: str) -> str:
        """Copy a recording into the audio folder under a fresh name; return that path."""
        import shutil
        from pathlib import Path

        source = Path(audio_path).expanduser()
        folder = self.bank.settings.audio_dir
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"drill-{uuid.uuid4().hex}{source.suffix.lower()}"
            shutil.copyfile(source, target)
        except OSError as error:
            raise InvalidInput(f"{folder}: cannot keep the recording ({error.strerror or error})", field="keep_audio") from error
        return str(target)

    # --- retrieval drills -----------------------------------------------------------------------

    def resolve_story(self, reference: str | int, profile: "Profile | None" = None) -> int:
        """A story id from an id or (part of) a title; `NotFound` when no single story matches."""
        from storybank.practice.matching import resolve_story_reference

        profile = profile or self.profile()
        stories = self.bank._stories_for_profile(profile, profile.name)
        found = resolve_story_reference(str(reference), stories)
        if found is None:
            raise NotFound(f"no story matches {str(reference)[:80]!r}; name it by id (`storybank story list`) or title")
        return found

    def submit_retrieval(self, uid: str, opening_line: str, story: str | int | None, *, seconds: float | None = None) -> Submitted:
        """The answer to a retrieval drill: the story named and its opening line."""
        attempt = self._fetch_drill(uid)
        if attempt.mode != "retrieval":
            raise Conflict("this is not a retrieval drill; submit an answer instead")
        story_id = None
        if story is not None and str(story).strip():
            story_id = self.resolve_story(story, self.profile(attempt.profile))
        if story_id is not None and attempt.phase == "answer":
            from storybank.store import practice_repository

            with self.bank.db.write() as conn:
                practice_repository.update_attempt(conn, attempt.id, expected_phase="answer", values={"story_id": story_id})
        return self.submit_answer(uid, opening_line, seconds=seconds)

    def _retrieval_result(self, attempt: Attempt, session: "DrillSession", analysis: dict[str, Any], profile: "Profile") -> dict[str, Any]:
        from storybank.practice.matching import rank_stories
        from storybank.practice.questions import find_question

        found = find_question(attempt.question_id, [profile])
        story_id = self._fetch_drill(attempt.uid).story_id
        top: list[int] = []
        if found is not None:
            stories = self.bank._stories_for_profile(profile, profile.name)
            result = rank_stories(
                found[0], stories, self.settings_for(profile), profile=profile.name, thresholds=profile.readiness.coverage
            )
            top = [fit.story_id for fit in result.stories[:3]]
        timing = session.timings()["answer"]
        metric_first = analysis["signals"].get("metric_first", {}).get("score", 0.0)
        return {
            "story_id": story_id,
            "top_matches": top,
            "good_choice": story_id is not None and story_id in top,
            "seconds": timing["seconds"],
            "limit": timing["limit"],
            "within_time": not timing["over"],
            "metric_first": metric_first,
            "opening_line": analysis.get("dma", {}).get("opening_line"),
        }

    # --- history and readiness ------------------------------------------------------------------

    def attempts(self, *, limit: int | None = None, offset: int = 0, question_id: str | None = None,
                 mode: str | None = None) -> list[Attempt]:
        """Answered attempts, newest first."""
        from storybank.store import practice_repository

        if (limit is not None and limit < 0) or offset < 0:
            raise InvalidInput("limit and offset must not be negative", field="limit")
        with self.bank.db.read() as conn:
            return practice_repository.list_attempts(conn, mode=mode, question_id=question_id, limit=limit, offset=offset)

    def history(self, *, limit: int | None = 20, offset: int = 0, question_id: str | None = None) -> "History":
        """Attempts in full (newest first, a page of them), their reviews, and the progress series
        of every drill."""
        from storybank.practice.history import build_history
        from storybank.store import practice_repository

        if (limit is not None and limit < 0) or offset < 0:
            raise InvalidInput("limit and offset must not be negative", field="limit")
        with self.bank.db.read() as conn:
            page = practice_repository.list_attempts(conn, question_id=question_id, limit=limit, offset=offset)
            total = practice_repository.count_attempts(conn, question_id=question_id)
            drills = practice_repository.list_attempts(conn, mode="drill", question_id=question_id, oldest_first=True)
            reviews = practice_repository.fetch_reviews(conn, [attempt.id for attempt in page])
        return build_history(page, drills, total, reviews, self.signal_labels())

    def signal_labels(self, profile: str | None = None) -> dict[str, str]:
        """How the profile names each signal ("Decision ownership"); empty if it cannot be loaded."""
        try:
            return {name: spec.label for name, spec in self.profile(profile).signals.items()}
        except InvalidInput:
            return {}

    def summary(self) -> "PracticeSummary":
        """What the practice records say for the readiness checklist."""
        from storybank.readiness import PracticeSummary
        from storybank.store import practice_repository

        with self.bank.db.read() as conn:
            replies, risk_aware = practice_repository.probe_counts(conn)
            reviewed = practice_repository.reviewed_attempt_count(conn)
        return PracticeSummary(probes_practised=replies, risk_aware_probe_answers=risk_aware, reviewed_mock_interviews=reviewed)


# --- the practice section of the JSON backup ---------------------------------------------------


def export_practice_section(conn: Any) -> dict[str, Any]:
    """Every attempt and review for the backup (stories and attempts named by uid)."""
    from storybank.practice.backup import attempt_to_backup, review_to_backup
    from storybank.store import practice_repository

    attempts = practice_repository.list_attempts(conn, answered_only=False, oldest_first=True)
    uids = practice_repository.story_uids(conn, [a.story_id for a in attempts if a.story_id is not None])
    attempt_uids = {attempt.id: attempt.uid for attempt in attempts}
    return {
        "attempts": [attempt_to_backup(attempt, uids.get(attempt.story_id)) for attempt in attempts],
        "reviews": [review_to_backup(review, attempt_uids[review.attempt_id])
                    for review in practice_repository.fetch_reviews(conn) if review.attempt_id in attempt_uids],
    }


def parse_practice_backup(data: Any, source: str) -> Any:
    """The backup's practice section, validated; `InvalidInput` naming the field otherwise."""
    from storybank.practice.backup import PracticeBackupError, parse_practice_section

    try:
        return parse_practice_section(data, source)
    except PracticeBackupError as error:
        raise InvalidInput(str(error), file=source, field="practice") from error


def import_practice_section(conn: Any, section: Any) -> list[str]:
    """Insert the attempts and reviews a bank does not have yet (matched by uid); return notes."""
    from storybank.store import practice_repository
    from storybank.store.repository import find_story_id_by_uid

    added_attempts = added_reviews = 0
    for item in section.attempts:
        if practice_repository.fetch_attempt_by_uid(conn, item.uid) is not None:
            continue
        values = item.model_dump(exclude={"id", "story_uid"})
        values["story_id"] = find_story_id_by_uid(conn, item.story_uid) if item.story_uid else None
        practice_repository.insert_attempt(conn, values)
        added_attempts += 1
    for item in section.reviews:
        if practice_repository.fetch_review_by_uid(conn, item.uid) is not None:
            continue
        attempt = practice_repository.fetch_attempt_by_uid(conn, item.attempt_uid)
        values = item.model_dump(exclude={"id", "attempt_uid"})
        practice_repository.insert_review(conn, {**values, "attempt_id": attempt.id})
        added_reviews += 1
    skipped = len(section.attempts) - added_attempts + len(section.reviews) - added_reviews
    if not (section.attempts or section.reviews):
        return []
    note = f"practice: {added_attempts} attempts and {added_reviews} reviews imported"
    return [note + (f"; {skipped} already present" if skipped else "")]


def _seconds_source(audio: dict[str, Any] | None, seconds: float | None) -> str:
    """Where a step's given seconds come from: the recording's length, or the caller."""
    return "audio" if audio is not None and seconds is not None else "given"


def _check_length(text: str | None, field: str) -> None:
    from storybank.service import MAX_TEXT_CHARS

    if text is not None and len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(f"{field}: {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}", field=field)
    if text is not None and "\x00" in text:
        raise InvalidInput(f"{field}: contains a NUL character", field=field)


def _limits_dict(limits: "DrillLimits") -> dict[str, Any]:
    return {
        "opening_seconds": limits.opening_seconds,
        "answer_seconds": limits.answer_seconds,
        "abandon_after_seconds": limits.abandon_after_seconds,
    }


def _session_values(session: "DrillSession") -> dict[str, Any]:
    """The columns a drill's session state is kept in."""
    return {
        "phase": session.phase,
        "opening": session.opening,
        "answer": session.answer,
        "probe_reply": session.probe_reply,
        "timings": session.timings(),
        "started_at": session.started_at,
        "phase_started_at": session.phase_started_at or session.started_at,
        "last_activity_at": session.last_activity_at or session.started_at,
        "finished_at": session.finished_at,
    }


def _session_of(attempt: Attempt) -> "DrillSession":
    """The drill's session state, rebuilt from its row."""
    from storybank.practice.drill import DrillLimits, DrillSession

    limits = DrillLimits(
        opening_seconds=attempt.limits["opening_seconds"],
        answer_seconds=attempt.limits["answer_seconds"],
        abandon_after_seconds=attempt.limits["abandon_after_seconds"],
        probe_seconds=attempt.limits.get("probe_seconds"),
    )
    timings = attempt.timings or {}

    def part(name: str, key: str) -> Any:
        return (timings.get(name) or {}).get(key)

    return DrillSession(
        limits=limits,
        started_at=attempt.started_at,
        phase=attempt.phase,
        phase_started_at=attempt.phase_started_at,
        last_activity_at=attempt.last_activity_at,
        opening=attempt.opening,
        opening_seconds=part("opening", "seconds"),
        opening_source=part("opening", "source"),
        answer=attempt.answer,
        answer_seconds=part("answer", "seconds"),
        answer_source=part("answer", "source"),
        probe_reply=attempt.probe_reply,
        probe_seconds=part("probe", "seconds"),
        probe_source=part("probe", "source"),
        finished_at=attempt.finished_at,
        notes=tuple(timings.get("notes", ())),
    )
