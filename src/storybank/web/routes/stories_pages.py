"""Story pages around the editor: the list with search and filters, the trash, version history."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from storybank.rubric.models import STORY_KINDS
from storybank.web.deps import MAX_ID, bank_of, blocking, checked_id
from storybank.web.highlight import word_diff
from storybank.web.rendering import render
from storybank.web.routes.stories_api import story_list, summary_dict

router = APIRouter()
PAGE_SIZE = 50


@router.get("/stories", include_in_schema=False)
def stories_page(
    request: Request,
    search: str = Query(default="", max_length=200),
    kind: str = Query(default="", max_length=20),
    principle: str = Query(default="", max_length=200),
    tag: str = Query(default="", max_length=200),
    page: int = Query(default=1, ge=1, le=10_000),
    deleted: int = Query(default=0, ge=0, le=MAX_ID),
) -> Response:
    """Every story, newest first, with search and filters (the JSON twin is GET /api/stories)."""
    if kind and kind not in STORY_KINDS:
        raise HTTPException(422, f"kind: {kind!r} is not one of {', '.join(STORY_KINDS)}")
    data = story_list(request, search.strip(), kind, principle, tag, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    bank = bank_of(request)
    context: dict[str, Any] = dict(
        data,
        page=page,
        pages=max(1, -(-data["total"] // PAGE_SIZE)),
        kinds=STORY_KINDS,
        principle_names=bank.load_profile().principle_names(),
        filtering=any(data["filters"].values()),
        deleted=deleted,
        json_twin=_api_url(data["filters"]),
        page_url=lambda number: _page_url(data["filters"], number),
    )
    return render(request, "stories.html", context)


@router.get("/trash", include_in_schema=False)
def trash_page(request: Request) -> Response:
    """Deleted stories, each with a button that brings it back."""
    stories = [summary_dict(item) for item in bank_of(request).list_trash()]
    return render(request, "trash.html", {"stories": stories, "json_twin": "/api/trash"})


@router.post("/stories/{story_id:int}/delete", include_in_schema=False)
async def delete_story(request: Request, story_id: int) -> Response:
    """Move a story to the trash, then show the list with an undo button."""
    story = await blocking(bank_of(request).delete_story, checked_id(story_id))
    return RedirectResponse(f"/stories?deleted={story.id}", status_code=303)


@router.post("/stories/{story_id:int}/undelete", include_in_schema=False)
async def undelete_story(request: Request, story_id: int) -> Response:
    """Bring a story back from the trash and open it."""
    story = await blocking(bank_of(request).undelete_story, checked_id(story_id))
    return RedirectResponse(f"/stories/{story.id}", status_code=303)


@router.get("/stories/{story_id:int}/history", include_in_schema=False)
def history_page(
    request: Request,
    story_id: int,
    from_version: int = Query(default=0, alias="from", ge=0, le=MAX_ID),
    to_version: int = Query(default=0, alias="to", ge=0, le=MAX_ID),
    restored: int = Query(default=0, ge=0, le=MAX_ID),
) -> Response:
    """Every version of a story, a diff between two of them, and a restore button per version."""
    bank = bank_of(request)
    story = bank.get_story(checked_id(story_id), include_trashed=True)
    versions = [version.to_dict() for version in bank.history(story.id)]
    latest = versions[-1]["version"]
    older = versions[-2]["version"] if len(versions) > 1 else latest
    chosen_from, chosen_to = from_version or older, to_version or latest
    diff = bank.diff(story.id, chosen_from, chosen_to).to_dict() if len(versions) > 1 else None
    texts = {version["version"]: version["text"] for version in versions}
    words = word_diff(texts[chosen_from], texts[chosen_to]) if diff else []
    context = {
        "story": story,
        "versions": list(reversed(versions)),
        "diff": diff,
        "word_diff": words,
        "from_version": chosen_from,
        "to_version": chosen_to,
        "restored": restored,
        "json_twin": f"/api/stories/{story.id}/versions",
    }
    return render(request, "history.html", context)


@router.post("/stories/{story_id:int}/restore", include_in_schema=False)
async def restore_version(request: Request, story_id: int) -> Response:
    """Save an old version as the newest one, then show the history again."""
    form = await request.form()
    version = _form_int(form.get("version"), "version")
    base_version = _form_int(form.get("base_version"), "base_version")
    story = await blocking(bank_of(request).restore_version, checked_id(story_id), version, base_version=base_version)
    return RedirectResponse(f"/stories/{story.id}/history?restored={version}", status_code=303)


def _page_url(filters: dict[str, Any], page: int) -> str:
    query = {name: value for name, value in filters.items() if value}
    return "/stories?" + urlencode(dict(query, page=page))


def _api_url(filters: dict[str, Any]) -> str:
    query = urlencode({name: value for name, value in filters.items() if value})
    return "/api/stories" + (f"?{query}" if query else "")


def _form_int(value: Any, field: str) -> int:
    text = value.strip() if isinstance(value, str) else ""
    if not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        raise HTTPException(422, f"{field}: expected a version number")
    return int(text)
