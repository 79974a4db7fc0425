"""The guided story builder: one question per step, then the assembled DMA answer and opening."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from storybank.errors import InvalidInput
from storybank.rubric.models import STORY_KINDS
from storybank.web.deps import bank_of, blocking
from storybank.web.forms import check_kind, form_text
from storybank.web.rendering import render

router = APIRouter()

Kind = Literal["impact", "failure", "risk", "conflict", "customer", "other"]
KIND_DESCRIPTIONS = {
    "impact": "A decision that moved a number the business cares about.",
    "failure": "A missed metric you owned, fixed, and stopped from happening again.",
    "risk": "A call where a rule or a risk limit shaped what shipped.",
    "conflict": "A disagreement you resolved with a decision, not a compromise.",
    "customer": "A change users felt: churn, retention, conversion, complaints.",
    "other": "Anything else worth telling in Decision–Metric–Alignment order.",
}


class BuildRequest(BaseModel):
    """The builder's parts as typed; missing ones become visible placeholders."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind = "impact"
    parts: dict[str, str | None] = Field(default_factory=dict)


def builder_parts(request: Request, kind: str) -> list[dict[str, str]]:
    """The questions the builder asks for a story of `kind`, in order, worded by the active profile."""
    return [spec.to_dict() for spec in bank_of(request).builder_parts(kind)]


def build(request: Request, kind: str, parts: dict[str, str | None]) -> dict[str, Any]:
    """Assemble the answer and opening line, and analyze the answer."""
    bank = bank_of(request)
    try:
        built = bank.build(parts, kind)
    except ValueError as error:
        raise InvalidInput(str(error), field="parts") from error
    profile = bank.load_profile()
    result = built.to_dict()
    result["opening_seconds"] = built.opening_seconds(profile.speaking_rate_wpm)
    result["opening_budget"] = profile.limits.opening_seconds
    result["analysis"] = bank.analyze(built.answer, profile, kind)
    return result


@router.get("/api/builder", tags=["builder"], summary="The builder's questions")
def builder_questions(request: Request, kind: Kind = Query(default="impact")) -> dict[str, Any]:
    """The parts the guided builder asks for a story of this kind, with what strong looks like."""
    return {"kind": kind, "parts": builder_parts(request, kind)}


@router.post("/api/builder", tags=["builder"], summary="Assemble a story from its parts")
def builder_assemble(body: BuildRequest, request: Request) -> dict[str, Any]:
    """The DMA answer and the opening line (numbers copied as typed; gaps as placeholders), analyzed."""
    return build(request, body.kind, body.parts)


@router.get("/builder", include_in_schema=False)
def builder_start(request: Request) -> Response:
    """Step 0: what kind of story, and a working title."""
    return render(request, "builder.html", start_context())


def start_context(title: str = "", kind: str = "impact", notice: str = "") -> dict[str, Any]:
    """The builder's first step."""
    return {
        "step": 0,
        "title": title,
        "kind": kind,
        "kinds": [(name, KIND_DESCRIPTIONS[name]) for name in STORY_KINDS],
        "notice": notice,
        "json_twin": f"/api/builder?kind={kind}",
    }


@router.post("/builder", include_in_schema=False)
async def builder_step(request: Request) -> Response:
    """Move one step forward or back; every answer so far travels in the form."""
    form = await request.form()
    kind = check_kind(form.get("kind"), allow_auto=False)
    title = " ".join(form_text(form.get("title")).split())[:200]
    questions = await blocking(builder_parts, request, kind)
    parts = {item["key"]: form_text(form.get(f"part_{item['key']}")).strip() for item in questions}
    step = _step_number(form.get("step"), len(questions) + 1)
    action = form_text(form.get("action"))
    step = step - 1 if action == "back" else step + 1
    if step <= 0:
        return render(request, "builder.html", start_context(title, kind))
    if step == 1 and not title:
        return render(request, "builder.html", start_context(title, kind, "Give the story a working title."), status_code=422)
    context: dict[str, Any] = {
        "step": min(step, len(questions) + 1),
        "steps": len(questions),
        "title": title,
        "kind": kind,
        "questions": questions,
        "parts": parts,
        "json_twin": f"/api/builder?kind={kind}",
    }
    if step <= len(questions):
        context["question"] = questions[step - 1]
    else:
        context["result"] = await blocking(build, request, kind, parts)
    return render(request, "builder.html", context)


@router.post("/builder/save", include_in_schema=False)
async def builder_save(request: Request) -> Response:
    """Save the assembled answer as a new story (with its parts) and open it in the editor."""
    form = await request.form()
    kind = check_kind(form.get("kind"), allow_auto=False)
    parts = {item["key"]: form_text(form.get(f"part_{item['key']}")).strip() for item in await blocking(builder_parts, request, kind)}
    bank = bank_of(request)
    built = await blocking(bank.build, parts, kind)
    story = await blocking(
        bank.add_story, title=form_text(form.get("title")), text=built.answer, kind=kind, parts=parts
    )
    return RedirectResponse(f"/stories/{story.id}?saved={story.version}", status_code=303)


def _step_number(value: Any, last: int) -> int:
    text = form_text(value).strip()
    if not text.isdigit() or int(text) > last:
        raise HTTPException(422, "step: expected a step number of the builder")
    return int(text)
