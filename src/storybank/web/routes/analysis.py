"""Live analysis: the JSON API (`POST /api/analyze`) and the editor panel's HTMX partial."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from storybank.web.analysis_view import analyze_for_view
from storybank.web.forms import MAX_TEXT_CHARS, PROFILE_NAME_PATTERN, check_kind, check_profile_name, form_text
from storybank.web.rendering import render, settings_of

router = APIRouter()

KindOrAuto = Literal["auto", "impact", "failure", "risk", "conflict", "customer", "other"]


class AnalyzeRequest(BaseModel):
    """One answer to analyze, as `storybank analyze --json` would."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_TEXT_CHARS, description="The answer, verbatim (at most 100,000 characters).")
    profile: str | None = Field(
        default=None, pattern=PROFILE_NAME_PATTERN, description="Profile name; the active profile when omitted."
    )
    kind: KindOrAuto = Field(default="auto", description="Story kind, or `auto` to detect it.")


class AnalysisReport(BaseModel):
    """The analyzer's JSON contract (see the README); extra fields may be added over time."""

    model_config = ConfigDict(extra="allow")

    profile: str
    kind: str
    score: float
    verdict: Literal["decisive", "developing", "nice-talk"]
    words: int
    speaking_seconds: float
    signals: dict[str, Any]
    findings: list[dict[str, Any]]
    quantities: list[dict[str, Any]]
    principles: dict[str, float]
    dma: dict[str, Any]


@router.post(
    "/api/analyze",
    tags=["analysis"],
    summary="Analyze one answer",
    responses={200: {"model": AnalysisReport}, 422: {"description": "Empty, too long or malformed input"}},
)
async def analyze_answer(body: AnalyzeRequest, request: Request) -> Response:
    """Return the same object as `storybank analyze --json`: score, verdict, signals, findings with spans, DMA."""
    import storybank

    if not body.text.strip():
        raise HTTPException(422, "text: empty; nothing to analyze")
    profile = body.profile or settings_of(request).active_profile()
    # Analysis takes a millisecond or two, so it runs inline rather than through the thread
    # pool, and the report is already plain JSON data: it skips FastAPI's re-encoding.
    return JSONResponse(storybank.analyze(body.text, profile, body.kind).to_dict())


@router.post("/stories/analysis", include_in_schema=False)
async def analysis_partial(request: Request) -> Response:
    """The editor's side panel and overlay for the text typed so far (HTMX partial)."""
    form = await request.form()
    seq = request.headers.get("x-analysis-seq") or str(form.get("seq", "0"))
    seq = seq if seq.isdigit() else "0"
    text = form_text(form.get("text"))
    headers = {"x-analysis-seq": seq}
    context: dict[str, Any] = {"seq": seq, "oob": True}
    if len(text) > MAX_TEXT_CHARS:
        context["notice_too_long"] = f"text: {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,} characters"
        context["view"] = {"empty": True, "segments": []}
        response = render(request, "_analysis.html", context, status_code=422)
    else:
        profile = check_profile_name(form.get("profile")) or settings_of(request).active_profile()
        context["view"] = analyze_for_view(text, profile, check_kind(form.get("kind")))
        response = render(request, "_analysis.html", context)
    response.headers.update(headers)
    return response
