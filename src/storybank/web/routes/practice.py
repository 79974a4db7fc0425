"""Practice pages: the question bank, story matching, timed drills, history with the progress
chart, the reviewer's form and the calibration view. Each page's JSON twin is in practice_api.

Drill pages work without JavaScript as plain forms timed by the server; practice.js only adds
the live countdowns.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import UploadFile

from storybank.errors import Conflict, InvalidInput, NotFound
from storybank.rubric.models import STORY_KINDS
from storybank.web.deps import MAX_ID, blocking, checked_id
from storybank.web.forms import check_profile_name, form_text
from storybank.web.rendering import render
from storybank.web.routes.practice_api import drill_data, practice_of, questions_data

router = APIRouter(include_in_schema=False)
STEPS = {"opening": "submit_opening", "answer": "submit_answer", "probe": "submit_probe_reply"}
HISTORY_PAGE = 20
MAX_REVIEW_FILE_BYTES = 512 * 1024


@router.get("/practice")
def questions_page(
    request: Request,
    principle: str = Query(default="", max_length=200),
    kind: str = Query(default="", max_length=20),
) -> Response:
    """The active profile's questions, filterable, each with a drill button."""
    if kind and kind not in STORY_KINDS:
        raise HTTPException(422, f"kind: {kind!r} is not one of {', '.join(STORY_KINDS)}")
    data = questions_data(request, None, principle or None, kind or None)
    query = "&".join(f"{name}={value}" for name, value in data["filters"].items() if value)
    context = dict(data, kinds=STORY_KINDS, json_twin="/api/practice/questions" + (f"?{query}" if query else ""))
    return render(request, "practice_questions.html", context)


@router.get("/practice/questions/{question_id}")
def match_page(request: Request, question_id: str) -> Response:
    """One question, the user's stories ranked for it, and buttons to drill it."""
    result = practice_of(request).match(question_id[:80])
    context = {"match": result.to_dict(), "json_twin": f"/api/practice/questions/{result.question.id}/match"}
    return render(request, "practice_match.html", context)


def _form_id(value: Any, field: str) -> int | None:
    text = form_text(value).strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        raise HTTPException(422, f"{field}: expected an id")
    return int(text)


@router.post("/practice/drills")
async def start_drill(request: Request) -> Response:
    """Start a drill from a form, then show it."""
    form = await request.form()
    question_id = form_text(form.get("question_id")).strip()[:80] or None
    mode = form_text(form.get("mode")).strip() or "drill"
    if mode not in ("drill", "retrieval"):
        raise HTTPException(422, "mode: expected drill or retrieval")
    practice = practice_of(request)
    attempt = await blocking(
        practice.start_drill, question_id, profile=check_profile_name(form.get("profile")),
        story_id=_form_id(form.get("story_id"), "story_id"), with_opening=form_text(form.get("skip_opening")) != "1",
        mode=mode,
    )
    return RedirectResponse(f"/practice/drills/{attempt.uid}", status_code=303)


def _drill_page(request: Request, uid: str, *, status: int = 200, notice: str | None = None,
                notice_kind: str = "info", kept_text: str | None = None, show_answer: bool = False) -> Response:
    data = drill_data(request, uid)
    context = {
        "drill": data,
        "notice": notice,
        "notice_kind": notice_kind,
        "kept_text": kept_text,
        "show_answer": show_answer or data["phase"] == "answer",
        "labels": practice_of(request).signal_labels(data["profile"]),
        "json_twin": f"/api/practice/drills/{uid}",
    }
    return render(request, "practice_drill.html", context, status)


@router.get("/practice/drills/{uid}")
def drill_page(request: Request, uid: str, step: str = Query(default="", max_length=20),
               note: str = Query(default="", max_length=20)) -> Response:
    """The drill at its current step: the form with its countdown, or the summary once done."""
    notice = "That was already submitted; it was recorded once." if note == "duplicate" else None
    return _drill_page(request, uid, notice=notice, show_answer=step == "answer")


@router.post("/practice/drills/{uid}/{step}")
async def submit_step(request: Request, uid: str, step: str) -> Response:
    """Submit the opening, the answer, the reply to the probe, or finish; then show the drill."""
    form = await request.form()
    text = form_text(form.get("text"))
    practice = practice_of(request)
    try:
        if step == "finish":
            await blocking(practice.finish_drill, uid)
            return RedirectResponse(f"/practice/drills/{uid}", status_code=303)
        if step == "retrieval":
            submitted = await blocking(practice.submit_retrieval, uid, text, form_text(form.get("story")).strip() or None)
        elif step in STEPS:
            submitted = await blocking(getattr(practice, STEPS[step]), uid, text)
        else:
            raise NotFound(f"no drill step {step[:20]!r}")
    except (Conflict, InvalidInput) as error:
        status = 409 if isinstance(error, Conflict) else 422
        return _drill_page(request, uid, status=status, notice=str(error), notice_kind="error",
                           kept_text=text if text.strip() else None, show_answer=step == "answer")
    suffix = "?note=duplicate" if submitted.duplicate else ""
    return RedirectResponse(f"/practice/drills/{uid}{suffix}", status_code=303)


@router.get("/practice/history")
def history_page(request: Request, page: int = Query(default=1, ge=1, le=10_000),
                 question: str = Query(default="", max_length=80)) -> Response:
    """Every attempt in full, newest first, and the progress chart of each signal and the score."""
    practice = practice_of(request)
    history = practice.history(limit=HISTORY_PAGE, offset=(page - 1) * HISTORY_PAGE, question_id=question or None)
    context = {
        "history": history.to_dict(),
        "chart": Markup(history.chart_svg()),  # built from numbers; every label is escaped by the chart
        "labels": history.labels,
        "page": page,
        "pages": max(1, -(-history.total // HISTORY_PAGE)),
        "question": question,
        "json_twin": "/api/practice/history",
    }
    return render(request, "practice_history.html", context)


@router.get("/practice/history/chart.svg")
def history_chart(request: Request) -> Response:
    """The progress chart alone, as an SVG file."""
    svg = practice_of(request).history(limit=1).chart_svg()
    return Response(svg, media_type="image/svg+xml", headers={"content-disposition": 'inline; filename="storybank-progress.svg"'})


def _review_page(request: Request, attempt_id: int, *, status: int = 200, notice: str | None = None,
                 notice_kind: str = "info", entered: dict[str, Any] | None = None) -> Response:
    form = practice_of(request).review_form(checked_id(attempt_id, "attempt"))
    context = {
        "form": form.to_dict(),
        "notice": notice,
        "notice_kind": notice_kind,
        "entered": entered or {},
        "json_twin": f"/api/practice/attempts/{attempt_id}/review",
    }
    return render(request, "practice_review.html", context, status)


@router.get("/practice/attempts/{attempt_id:int}/review")
def review_page(request: Request, attempt_id: int, saved: int = Query(default=0, ge=0, le=MAX_ID),
                note: str = Query(default="", max_length=20)) -> Response:
    """The reviewer's page: the attempt, suggested probes, the anchored form, reviews given."""
    notice = None
    if saved:
        notice = "That review was already saved; it was recorded once." if note == "duplicate" else f"Review {saved} saved."
    return _review_page(request, attempt_id, notice=notice, notice_kind="ok" if saved else "info")


@router.post("/practice/attempts/{attempt_id:int}/review")
async def save_review(request: Request, attempt_id: int) -> Response:
    """Save the reviewer's form, then show the page again with the comparison."""
    form = await request.form()
    entered = {key: form_text(value) for key, value in form.items() if key != "csrf_token" and not isinstance(value, UploadFile)}
    scores = {key.removeprefix("score_"): value for key, value in entered.items() if key.startswith("score_")}
    comments = {key.removeprefix("comment_"): value for key, value in entered.items() if key.startswith("comment_")}
    try:
        saved = await blocking(
            practice_of(request).add_review, checked_id(attempt_id, "attempt"), reviewer=entered.get("reviewer", ""),
            scores=scores, comments=comments, note=entered.get("note"), review_uid=entered.get("review_uid") or None,
        )
    except (Conflict, InvalidInput) as error:
        status = 409 if isinstance(error, Conflict) else 422
        return _review_page(request, attempt_id, status=status, notice=str(error), notice_kind="error", entered=entered)
    suffix = "&note=duplicate" if saved.duplicate else ""
    return RedirectResponse(f"/practice/attempts/{attempt_id}/review?saved={saved.review.id}{suffix}", status_code=303)


@router.get("/practice/attempts/{attempt_id:int}/review-file")
def review_file(request: Request, attempt_id: int) -> Response:
    """A review file to send to a reviewer who fills it in away from this computer."""
    name, text = practice_of(request).export_review_file(checked_id(attempt_id, "attempt"))
    return Response(text, media_type="application/yaml", headers={"content-disposition": f'attachment; filename="{name}"'})


@router.get("/practice/calibration")
def calibration_page(request: Request) -> Response:
    """Where reviewers and the analyzer disagree, and the form to import a review file."""
    return _calibration_page(request)


def _calibration_page(request: Request, *, status: int = 200, notice: str | None = None, notice_kind: str = "info") -> Response:
    result = practice_of(request).calibration()
    context = {"calibration": result.to_dict(), "notice": notice, "notice_kind": notice_kind,
               "json_twin": "/api/practice/calibration"}
    return render(request, "practice_calibration.html", context, status)


@router.post("/practice/reviews/import")
async def import_review_file(request: Request) -> Response:
    """Import an uploaded review file, then show the attempt's review page."""
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _calibration_page(request, status=422, notice="Choose the review file the reviewer sent back.", notice_kind="error")
    raw = await upload.read(MAX_REVIEW_FILE_BYTES + 1)
    if len(raw) > MAX_REVIEW_FILE_BYTES:
        return _calibration_page(request, status=413, notice="That file is too large for a review file.", notice_kind="error")
    name = (upload.filename or "review file")[:100]
    try:
        saved = await blocking(practice_of(request).import_review_file, raw, name)
    except (Conflict, InvalidInput, NotFound) as error:
        status = {Conflict: 409, InvalidInput: 422}.get(type(error), 404)
        return _calibration_page(request, status=status, notice=str(error), notice_kind="error")
    suffix = "&note=duplicate" if saved.duplicate else ""
    return RedirectResponse(f"/practice/attempts/{saved.review.attempt_id}/review?saved={saved.review.id}{suffix}", status_code=303)
