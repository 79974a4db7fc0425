"""The story editor: a new story at `/stories/new`, a saved one at `/stories/{id}`.

Analysis works before anything is saved; saving creates a version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from storybank.rubric.models import STORY_KINDS
from storybank.errors import Conflict, InvalidInput
from storybank.web.analysis_view import analysis_view, analyze_for_view
from storybank.web.deps import bank_of, blocking, checked_id
from storybank.web.forms import MAX_TEXT_CHARS, check_kind, check_profile_name, form_text, split_tags
from storybank.web.rendering import render, settings_of

router = APIRouter()

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
DEBOUNCE_MS = 30


def example_names() -> list[str]:
    """Names of the example stories shipped with storybank."""
    return sorted(path.stem for path in EXAMPLES_DIR.glob("*.md"))


def example_text(name: str) -> str:
    """The answer text of a shipped example (front matter dropped), or "" when unknown."""
    if name not in example_names():
        return ""
    text = (EXAMPLES_DIR / f"{name}.md").read_text(encoding="utf-8")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            text = text[end + 4 :]
    return text.strip() + "\n"


def empty_form(request: Request, profile: str | None = None) -> dict[str, Any]:
    """The editor's fields for a new story."""
    return {
        "title": "",
        "kind": "auto",
        "profile": profile or settings_of(request).active_profile(),
        "tags": "",
        "principles": [],
        "text": "",
    }


def read_editor_form(form: Any, request: Request, story: Any = None) -> dict[str, Any]:
    """The editor's fields from a form post, checked (422 on a bad kind or profile)."""
    profile = form_text(form.get("profile")).strip()
    keeps_story_profile = story is not None and profile == story.profile
    return {
        "title": form_text(form.get("title")).strip(),
        "kind": check_kind(form.get("kind")),
        "profile": profile if keeps_story_profile else check_profile_name(profile) or settings_of(request).active_profile(),
        "tags": ", ".join(split_tags(form.get("tags"))),
        "principles": [form_text(value) for value in form.getlist("principles")],
        "text": form_text(form.get("text")),
    }


def story_form(story: Any) -> dict[str, Any]:
    """The editor's fields for a saved story."""
    return {
        "title": story.title,
        "kind": story.kind,
        "profile": story.profile,
        "tags": ", ".join(story.tags),
        "principles": list(story.principles),
        "text": story.text,
    }


def editor_context(
    form: dict[str, Any], story: Any = None, notice: dict[str, str] | None = None, analysis: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the editor template needs, with the analysis of the form's text."""
    from storybank.rubric.loader import available_profiles, load_profile

    profiles = available_profiles()
    if form["profile"] not in profiles:
        profiles.append(form["profile"])
    profile = load_profile(form["profile"])
    if analysis is not None:
        view = analysis_view(analysis, profile, form["text"])
    else:
        text = form["text"] if len(form["text"]) <= MAX_TEXT_CHARS else ""
        view = analyze_for_view(text, form["profile"], form["kind"])
    return {
        "form": form,
        "story": story,
        "notice": notice,
        "view": view,
        "profiles": profiles,
        "kinds": STORY_KINDS,
        "principle_names": profile.principle_names(),
        "max_chars": MAX_TEXT_CHARS,
        "debounce_ms": DEBOUNCE_MS,
        "form_action": f"/stories/{story.id}" if story else "/stories/new",
        "json_twin": f"/api/stories/{story.id}" if story else None,
    }


def story_fields(form: dict[str, Any]) -> dict[str, Any]:
    """The service's keyword arguments for the editor's fields."""
    return {
        "title": form["title"],
        "text": form["text"],
        "kind": form["kind"],
        "profile": form["profile"],
        "tags": split_tags(form["tags"]),
        "principles": form["principles"],
    }


@router.get("/stories/new", include_in_schema=False)
def new_story_page(request: Request, example: str = "", profile: str = "", text: str = "") -> Response:
    """The editor for a new story: empty, filled with a shipped example, or with `text`."""
    form = empty_form(request, check_profile_name(profile))
    if example:
        form["text"] = example_text(example)
        form["title"] = example.replace("-", " ").capitalize() if form["text"] else ""
    elif text:
        form["text"] = form_text(text)[:MAX_TEXT_CHARS]
    return render(request, "editor.html", editor_context(form))


@router.post("/stories/new", include_in_schema=False)
async def new_story_submit(request: Request) -> Response:
    """Save the new story (then open it), or, without JavaScript, just analyze the text."""
    raw = await request.form()
    form = read_editor_form(raw, request)
    if len(form["text"]) > MAX_TEXT_CHARS:
        return render(request, "editor.html", editor_context(form, notice=too_long(form["text"])), status_code=422)
    if raw.get("action") != "save":
        return render(request, "editor.html", editor_context(form))
    try:
        story = await blocking(bank_of(request).add_story, **story_fields(form))
    except InvalidInput as error:
        notice = {"kind": "error", "text": f"Not saved: {error}"}
        return render(request, "editor.html", editor_context(form, notice=notice), status_code=422)
    return RedirectResponse(f"/stories/{story.id}?saved={story.version}", status_code=303)


@router.get("/stories/{story_id:int}", include_in_schema=False)
def story_page(request: Request, story_id: int, saved: int = 0) -> Response:
    """A saved story in the editor, with its stored analysis."""
    story = bank_of(request).get_story(checked_id(story_id))
    notice = {"kind": "ok", "text": f"Saved as version {story.version}."} if saved else None
    return render(request, "editor.html", editor_context(story_form(story), story, notice, analysis=story.analysis))


@router.post("/stories/{story_id:int}", include_in_schema=False)
async def story_submit(request: Request, story_id: int) -> Response:
    """Save an edit as a new version; on a conflict or bad input, keep what was typed and say why."""
    bank = bank_of(request)
    story = await blocking(bank.get_story, checked_id(story_id))
    raw = await request.form()
    form = read_editor_form(raw, request, story)
    if len(form["text"]) > MAX_TEXT_CHARS:
        return render(request, "editor.html", editor_context(form, story, too_long(form["text"])), status_code=422)
    base = form_text(raw.get("base_version")).strip()
    form["base_version"] = int(base) if base.isdigit() and len(base) < 10 else story.version
    if raw.get("action") != "save":
        return render(request, "editor.html", editor_context(form, story))
    try:
        saved = await blocking(bank.edit_story, story.id, base_version=form["base_version"], **story_fields(form))
    except Conflict as error:
        form["base_version"] = error.current_version or story.version
        notice = {
            "kind": "error",
            "text": f"Not saved: {error} Your text is still here; saving again makes it the newest version.",
        }
        return render(request, "editor.html", editor_context(form, story, notice), status_code=409)
    except InvalidInput as error:
        notice = {"kind": "error", "text": f"Not saved: {error}"}
        return render(request, "editor.html", editor_context(form, story, notice), status_code=422)
    return RedirectResponse(f"/stories/{saved.id}?saved={saved.version}", status_code=303)


def too_long(text: str) -> dict[str, str]:
    """The notice for a text over the limit."""
    return {"kind": "error", "text": f"text: {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,} characters"}
