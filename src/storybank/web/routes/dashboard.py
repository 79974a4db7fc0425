"""The dashboard (`/`): readiness checklist, coverage matrix, gaps and recent stories."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from storybank.web.deps import bank_of
from storybank.web.forms import PROFILE_NAME_PATTERN
from storybank.web.rendering import render
from storybank.web.routes.stories_api import summary_dict

router = APIRouter()
RECENT_STORIES = 5


@router.get("/api/coverage", tags=["readiness"], summary="Coverage matrix")
def coverage(request: Request, profile: str | None = Query(default=None, pattern=PROFILE_NAME_PATTERN)) -> dict[str, Any]:
    """How strongly each story supports each principle of the profile (default: the active one), and the gaps."""
    return bank_of(request).coverage(profile).to_dict()


@router.get("/api/ready", tags=["readiness"], summary="Interview-ready checklist")
def ready(request: Request, profile: str | None = Query(default=None, pattern=PROFILE_NAME_PATTERN)) -> dict[str, Any]:
    """Each checklist item, ok or not, with the reason and the next action."""
    return bank_of(request).readiness(profile).to_dict()


def dashboard_data(request: Request) -> dict[str, Any]:
    """Everything the dashboard shows."""
    bank = bank_of(request)
    total = bank.count_stories()
    recent = [summary_dict(item) for item in bank.list_stories(limit=RECENT_STORIES)]
    readiness = bank.readiness().to_dict()
    return {
        "profile": bank.default_profile(),
        "first_run": total == 0,
        "stories_total": total,
        "recent_stories": recent,
        "readiness": readiness,
        "checks_passed": sum(1 for item in readiness["items"] if item["ok"]),
        "coverage": bank.coverage().to_dict(),
    }


@router.get("/api/dashboard", tags=["readiness"], summary="The dashboard's data")
def dashboard_api(request: Request) -> dict[str, Any]:
    """Readiness, coverage, gaps and the most recent stories, as the dashboard shows them."""
    return dashboard_data(request)


@router.get("/", include_in_schema=False)
def dashboard_page(request: Request) -> Response:
    """The dashboard, or the first-run page when the bank is empty."""
    from storybank.web.routes.editor import example_names

    data = dashboard_data(request)
    return render(request, "dashboard.html", dict(data, examples=example_names(), json_twin="/api/dashboard"))
