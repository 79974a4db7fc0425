"""Templates and the helpers every page route uses to render them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from storybank import __version__
from storybank.settings import Settings
from storybank.web.highlight import split_placeholders

TEMPLATES_DIR = Path(__file__).parent / "templates"

NAVIGATION = [
    ("/", "Dashboard"),
    ("/stories", "Stories"),
    ("/stories/new", "New story"),
    ("/builder", "Builder"),
    ("/practice", "Practice"),
    ("/speak", "Speak"),
    ("/transfer", "Import & export"),
    ("/plan", "Planners"),
    ("/profiles", "Profile"),
]

VERDICT_WORDS = {"decisive": "Decisive", "developing": "Developing", "nice-talk": "Nice talk"}
VERDICT_EXPLANATIONS = {
    "decisive": "An owned decision, a quantified outcome and a business lens: a committee hears impact.",
    "developing": "The core is there; add what is missing below to make it decisive.",
    "nice-talk": "No owned decision or no number yet: a committee would hear nice talk, not impact.",
}


def is_current(path: str, href: str) -> bool:
    """Whether the navigation link `href` is the section the page at `path` belongs to."""
    if href in ("/", "/stories/new"):
        return path == href
    if href == "/stories":
        return path.startswith("/stories") and path != "/stories/new"
    return path == href or path.startswith(href + "/")


def build_templates() -> Jinja2Templates:
    """The Jinja2 environment (HTML autoescaping on) with storybank's filters."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    environment = templates.env
    environment.globals["version"] = __version__
    environment.globals["navigation"] = NAVIGATION
    environment.globals["is_current"] = is_current
    environment.filters["verdict_word"] = lambda verdict: VERDICT_WORDS.get(verdict, str(verdict))
    environment.filters["verdict_explanation"] = lambda verdict: VERDICT_EXPLANATIONS.get(verdict, "")
    environment.filters["plain"] = plain_value
    environment.filters["placeholders"] = split_placeholders
    environment.filters["percent"] = lambda value: f"{round(float(value) * 100)}"
    return templates


def plain_value(value: Any) -> str:
    """A field value in words: lists joined, mappings as `key: value`, nothing as a dash."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def settings_of(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


def render(request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    """Render a page or partial with the context every template may use."""
    settings = settings_of(request)
    full_context = {
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "active_profile": settings.active_profile(),
        "current_path": request.url.path,
    }
    full_context.update(context or {})
    return request.app.state.templates.TemplateResponse(request, template, full_context, status_code=status_code)
