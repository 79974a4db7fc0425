"""The story bank's JSON API: stories, versions, diffs, restore, trash."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from storybank.web.deps import MAX_ID, bank_of, checked_id
from storybank.web.forms import MAX_TEXT_CHARS, PROFILE_NAME_PATTERN

router = APIRouter(prefix="/api", tags=["stories"])

KindOrAuto = Literal["auto", "impact", "failure", "risk", "conflict", "customer", "other"]
Kind = Literal["impact", "failure", "risk", "conflict", "customer", "other"]
STORY_PATH = "/stories/{story_id:int}"


class StoryCreate(BaseModel):
    """A new story. `kind` defaults to `auto` (the detected kind is stored)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=1000)
    text: str = Field(max_length=MAX_TEXT_CHARS)
    kind: KindOrAuto = "auto"
    principles: list[str] = Field(default_factory=list, max_length=100)
    tags: list[str] = Field(default_factory=list, max_length=100)
    profile: str | None = Field(default=None, pattern=PROFILE_NAME_PATTERN)
    company: str | None = Field(default=None, max_length=1000)
    parts: dict[str, str] | None = None


class StoryUpdate(BaseModel):
    """An edit: omitted fields keep their values; `base_version` is the version it was made from."""

    model_config = ConfigDict(extra="forbid")

    base_version: int = Field(ge=1, le=MAX_ID)
    title: str | None = Field(default=None, max_length=1000)
    text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    kind: KindOrAuto | None = None
    principles: list[str] | None = Field(default=None, max_length=100)
    tags: list[str] | None = Field(default=None, max_length=100)
    profile: str | None = Field(default=None, pattern=PROFILE_NAME_PATTERN)
    company: str | None = Field(default=None, max_length=1000)
    parts: dict[str, str] | None = None


class RestoreRequest(BaseModel):
    """Make an old version the newest; with `base_version`, a story that moved on gets 409."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=MAX_ID)
    base_version: int | None = Field(default=None, ge=1, le=MAX_ID)


def summary_dict(summary: Any) -> dict[str, Any]:
    """A story list entry as JSON, with its principles and tags."""
    return dict(summary.to_dict(), principles=list(summary.principles), tags=list(summary.tags))


def story_list(
    request: Request,
    search: str | None = None,
    kind: str | None = None,
    principle: str | None = None,
    tag: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Stories not in the trash, newest first, filtered, with the total count."""
    bank = bank_of(request)
    filters = {"search": search or None, "kind": kind or None, "principle": principle or None, "tag": tag or None}
    stories = bank.list_stories(limit=limit, offset=offset, **filters)
    return {
        "stories": [summary_dict(item) for item in stories],
        "total": bank.count_stories(**filters),
        "limit": limit,
        "offset": offset,
        "filters": filters,
    }


@router.get("/stories", summary="List and search stories")
def list_stories(
    request: Request,
    search: str | None = Query(default=None, max_length=200, description="Words that must all appear (title, text, company)."),
    kind: Kind | None = None,
    principle: str | None = Query(default=None, max_length=200),
    tag: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
) -> dict[str, Any]:
    """Stories not in the trash, most recently updated first."""
    return story_list(request, search, kind, principle, tag, limit, offset)


@router.post("/stories", status_code=201, summary="Create a story")
def create_story(body: StoryCreate, request: Request) -> JSONResponse:
    """Save a new story as version 1, with its analysis; 201 with the story."""
    story = bank_of(request).add_story(**body.model_dump())
    return JSONResponse(story.to_dict(), status_code=201, headers={"location": f"/api/stories/{story.id}"})


@router.get(STORY_PATH, summary="Get a story")
def get_story(story_id: int, request: Request) -> dict[str, Any]:
    """The story's latest version with its stored analysis."""
    return bank_of(request).get_story(checked_id(story_id)).to_dict()


@router.put(STORY_PATH, summary="Edit a story")
def edit_story(story_id: int, body: StoryUpdate, request: Request) -> dict[str, Any]:
    """Save an edit as a new version; a stale `base_version` gets 409 and nothing is written."""
    fields = body.model_dump(exclude_unset=True)
    return bank_of(request).edit_story(checked_id(story_id), **fields).to_dict()


@router.delete(STORY_PATH, summary="Move a story to the trash")
def delete_story(story_id: int, request: Request) -> dict[str, Any]:
    """Move the story to the trash (its versions are kept; undelete brings it back)."""
    return bank_of(request).delete_story(checked_id(story_id)).to_dict()


@router.get(STORY_PATH + "/versions", summary="A story's versions")
def story_versions(story_id: int, request: Request) -> dict[str, Any]:
    """Every saved version, oldest first, each with its text and analysis."""
    versions = bank_of(request).history(checked_id(story_id))
    return {"story_id": story_id, "versions": [version.to_dict() for version in versions]}


@router.get(STORY_PATH + "/versions/{version:int}", summary="One version of a story")
def story_version(story_id: int, version: int, request: Request) -> dict[str, Any]:
    """One saved version exactly as it was saved."""
    return bank_of(request).get_version(checked_id(story_id), checked_id(version, "version")).to_dict()


@router.get(STORY_PATH + "/diff", summary="What changed between two versions")
def story_diff(
    story_id: int,
    request: Request,
    from_version: int = Query(alias="from", ge=1, le=MAX_ID),
    to_version: int = Query(alias="to", ge=1, le=MAX_ID),
) -> dict[str, Any]:
    """Changed fields, and the text as a unified diff."""
    return bank_of(request).diff(checked_id(story_id), from_version, to_version).to_dict()


@router.post(STORY_PATH + "/restore", summary="Restore an old version")
def restore_version(story_id: int, body: RestoreRequest, request: Request) -> dict[str, Any]:
    """Save an old version's content as the newest version; history keeps everything."""
    bank = bank_of(request)
    return bank.restore_version(checked_id(story_id), body.version, base_version=body.base_version).to_dict()


@router.get("/trash", summary="Stories in the trash")
def trash(request: Request) -> dict[str, Any]:
    """Deleted stories, which can be brought back."""
    return {"stories": [summary_dict(item) for item in bank_of(request).list_trash()]}


@router.post(STORY_PATH + "/undelete", summary="Bring a story back from the trash")
def undelete_story(story_id: int, request: Request) -> dict[str, Any]:
    """Take the story out of the trash."""
    return bank_of(request).undelete_story(checked_id(story_id)).to_dict()
