"""The practice JSON API: questions, story matching, drills, history, reviews and calibration.

Each function here also builds the data of the matching page (routes/practice.py renders it),
so a page and its JSON twin never drift apart.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from storybank.web.deps import MAX_ID, bank_of, blocking, checked_id
from storybank.web.forms import MAX_TEXT_CHARS, PROFILE_NAME_PATTERN

router = APIRouter(prefix="/api/practice", tags=["practice"])
QUESTION_ID = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$"
UID = r"^[0-9a-f]{32}$"


def practice_of(request: Request):
    """The practice use cases over the app's story bank."""
    from storybank.practice_service import Practice

    return Practice(bank_of(request))


# --- data shared by pages and API ------------------------------------------------------------


def questions_data(request: Request, profile: str | None, principle: str | None, kind: str | None) -> dict[str, Any]:
    """A profile's questions, filtered, with the filter choices."""
    practice = practice_of(request)
    loaded = practice.profile(profile)
    found = practice.questions(loaded.name if profile else None, principle=principle or None, kind=kind or None)
    return {
        "profile": loaded.name,
        "filters": {"principle": principle or None, "kind": kind or None},
        "principles": loaded.principle_names(),
        "questions": [question.to_dict() for question in found],
    }


def drill_data(request: Request, uid: str) -> dict[str, Any]:
    """A drill as JSON with its countdown (seconds left in the current step)."""
    practice = practice_of(request)
    attempt = practice.get_drill(uid)
    return {**attempt.to_dict(), "countdown": practice.countdown(attempt)}


def history_data(request: Request, limit: int, offset: int, question: str | None) -> dict[str, Any]:
    """A page of attempts in full, with the progress series."""
    history = practice_of(request).history(limit=limit, offset=offset, question_id=question or None)
    return history.to_dict()


# --- request bodies --------------------------------------------------------------------------


class DrillStart(BaseModel):
    """Start a drill. Without `question_id`, a question is picked (weighted towards weak principles)."""

    model_config = ConfigDict(extra="forbid")

    question_id: str | None = Field(default=None, pattern=QUESTION_ID, max_length=80)
    profile: str | None = Field(default=None, pattern=PROFILE_NAME_PATTERN)
    story_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    with_opening: bool = True
    mode: Literal["drill", "retrieval"] = "drill"


class StepText(BaseModel):
    """One step's text; `seconds` overrides the server's clock (e.g. a recorded time)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_TEXT_CHARS)
    seconds: float | None = Field(default=None, ge=0, le=86_400)


class RetrievalAnswer(BaseModel):
    """The story named (id or title) and its opening line."""

    model_config = ConfigDict(extra="forbid")

    story: str | None = Field(default=None, max_length=300)
    text: str = Field(max_length=MAX_TEXT_CHARS)
    seconds: float | None = Field(default=None, ge=0, le=86_400)


class ReviewBody(BaseModel):
    """A reviewer's scores (1–5 per dimension id), comments and note. `review_uid` (from the
    form) makes a repeated submission count once."""

    model_config = ConfigDict(extra="forbid")

    reviewer: str = Field(max_length=200)
    scores: dict[str, int | str | None] = Field(max_length=20)
    comments: dict[str, str | None] = Field(default_factory=dict, max_length=20)
    note: str | None = Field(default=None, max_length=5000)
    review_uid: str | None = Field(default=None, pattern=UID)


class ReviewFileBody(BaseModel):
    """The text of a filled-in review file."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_TEXT_CHARS)


# --- endpoints -------------------------------------------------------------------------------


@router.get("/questions", summary="Questions of a profile")
def list_questions(
    request: Request,
    profile: str | None = Query(default=None, pattern=PROFILE_NAME_PATTERN),
    principle: str | None = Query(default=None, max_length=200),
    kind: str | None = Query(default=None, max_length=20),
) -> dict[str, Any]:
    """The profile's behavioral questions, each `{id, text, principles, kinds, tags}`."""
    return questions_data(request, profile, principle, kind)


@router.get("/questions/{question_id}/match", summary="Stories ranked for a question")
def match_question(request: Request, question_id: str) -> dict[str, Any]:
    """The user's stories ranked by fit (principles, kind, shared words), with overuse warnings."""
    return practice_of(request).match(question_id[:80]).to_dict()


@router.post("/drills", status_code=201, summary="Start a drill")
async def start_drill(request: Request, body: DrillStart) -> dict[str, Any]:
    """Start a drill; its `uid` addresses the next steps. The opening's countdown starts now."""
    practice = practice_of(request)
    attempt = await blocking(practice.start_drill, body.question_id, profile=body.profile, story_id=body.story_id,
                             with_opening=body.with_opening, mode=body.mode)
    return {**attempt.to_dict(), "countdown": practice.countdown(attempt)}


@router.get("/drills/{uid}", summary="A drill")
def get_drill(request: Request, uid: str) -> dict[str, Any]:
    """The drill with its current step and the seconds left (negative when over time)."""
    return drill_data(request, uid)


async def _step(request: Request, method: str, uid: str, body: StepText) -> JSONResponse:
    practice = practice_of(request)
    submitted = await blocking(getattr(practice, method), uid, body.text, seconds=body.seconds)
    return JSONResponse(submitted.to_dict(), status_code=200 if submitted.duplicate else 201)


@router.post("/drills/{uid}/opening", status_code=201, summary="Submit the opening")
async def submit_opening(request: Request, uid: str, body: StepText) -> JSONResponse:
    """Record the opening; 200 with `duplicate: true` when the same text was already recorded."""
    return await _step(request, "submit_opening", uid, body)


@router.post("/drills/{uid}/answer", status_code=201, summary="Submit the answer")
async def submit_answer(request: Request, uid: str, body: StepText) -> JSONResponse:
    """Analyze the answer and pick the probe for its weakest signal (`probe.signal`). An idle
    drill (30 minutes) answers 409 and keeps the text; a different second answer answers 409."""
    return await _step(request, "submit_answer", uid, body)


@router.post("/drills/{uid}/probe", status_code=201, summary="Reply to the probe")
async def submit_probe(request: Request, uid: str, body: StepText) -> JSONResponse:
    """Analyze the reply to the probe; the drill ends with its summary."""
    return await _step(request, "submit_probe_reply", uid, body)


@router.post("/drills/{uid}/finish", summary="Finish without replying to the probe")
async def finish_drill(request: Request, uid: str) -> dict[str, Any]:
    """End the drill after the answer; the probe is recorded as skipped."""
    attempt = await blocking(practice_of(request).finish_drill, uid)
    return attempt.to_dict()


@router.post("/drills/{uid}/retrieval", status_code=201, summary="Answer a retrieval drill")
async def submit_retrieval(request: Request, uid: str, body: RetrievalAnswer) -> JSONResponse:
    """The story named (id or title) and its opening line, against the 10-second limit."""
    submitted = await blocking(practice_of(request).submit_retrieval, uid, body.text, body.story, seconds=body.seconds)
    return JSONResponse(submitted.to_dict(), status_code=200 if submitted.duplicate else 201)


@router.get("/history", summary="Attempts and progress")
def get_history(
    request: Request,
    limit: int = Query(default=20, ge=1, le=1000),
    offset: int = Query(default=0, ge=0, le=MAX_ID),
    question: str | None = Query(default=None, max_length=80),
) -> dict[str, Any]:
    """Attempts in full (newest first) with their reviews, and every drill's series for the chart."""
    return history_data(request, limit, offset, question)


@router.get("/attempts/{attempt_id:int}", summary="One attempt")
def get_attempt(request: Request, attempt_id: int) -> dict[str, Any]:
    """An attempt in full."""
    return practice_of(request).get_attempt(checked_id(attempt_id, "attempt")).to_dict()


@router.get("/attempts/{attempt_id:int}/review", summary="The reviewer's form")
def review_form(request: Request, attempt_id: int) -> dict[str, Any]:
    """The attempt, suggested probes, anchored dimensions, reviews given and their comparison."""
    return practice_of(request).review_form(checked_id(attempt_id, "attempt")).to_dict()


@router.post("/attempts/{attempt_id:int}/review", status_code=201, summary="Save a review")
async def add_review(request: Request, attempt_id: int, body: ReviewBody) -> JSONResponse:
    """Store a reviewer's scores beside the analyzer's; 200 with `duplicate: true` on a repeat."""
    saved = await blocking(
        practice_of(request).add_review, checked_id(attempt_id, "attempt"), reviewer=body.reviewer,
        scores=dict(body.scores), comments=dict(body.comments), note=body.note, review_uid=body.review_uid, source="api",
    )
    return JSONResponse(saved.to_dict(), status_code=200 if saved.duplicate else 201)


@router.post("/reviews/import", status_code=201, summary="Import a review file")
async def import_review(request: Request, body: ReviewFileBody) -> JSONResponse:
    """Import the text of a review file a reviewer filled in (twice counts once)."""
    saved = await blocking(practice_of(request).import_review_file, body.text.encode("utf-8"), "review file")
    return JSONResponse(saved.to_dict(), status_code=200 if saved.duplicate else 201)


@router.get("/calibration", summary="Reviewers vs the analyzer")
def calibration(request: Request, profile: str | None = Query(default=None, pattern=PROFILE_NAME_PATTERN)) -> dict[str, Any]:
    """Per dimension: reviewers' and analyzer's means and gaps; the disagreements, largest first."""
    return practice_of(request).calibration(profile).to_dict()
