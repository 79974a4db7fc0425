"""Reading and checking the fields of HTML form posts (the JSON API uses pydantic models)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import HTTPException

from storybank.rubric.models import STORY_KINDS
from storybank.service import MAX_TEXT_CHARS

__all__ = ["MAX_TEXT_CHARS", "PROFILE_NAME_PATTERN", "check_kind", "check_profile_name", "form_text", "split_tags"]

PROFILE_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
_PROFILE_NAME = re.compile(PROFILE_NAME_PATTERN)


def form_text(value: Any) -> str:
    """A text field's value with the browser's CRLF line breaks turned back into LF."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise HTTPException(422, "expected a text field, got a file")
    return value.replace("\r\n", "\n")


def check_kind(value: Any, allow_auto: bool = True) -> str:
    """A story kind from a form (`auto` when empty); anything else is a 422."""
    kind = form_text(value).strip() or "auto"
    allowed = (("auto",) if allow_auto else ()) + STORY_KINDS
    if kind not in allowed:
        raise HTTPException(422, f"kind: {kind!r} is not one of {', '.join(allowed)}")
    return kind


def check_profile_name(value: Any) -> str | None:
    """A profile name (never a path) from a form, or None when empty."""
    name = form_text(value).strip()
    if not name:
        return None
    if not _PROFILE_NAME.match(name):
        raise HTTPException(422, "profile: expected a profile name (letters, digits, - and _)")
    return name


def split_tags(value: Any) -> list[str]:
    """Comma-separated tags, trimmed, empty ones dropped, order kept, duplicates removed."""
    tags = [tag.strip() for tag in form_text(value).split(",")]
    return list(dict.fromkeys(tag for tag in tags if tag))
