"""What routes share: the app's one StoryBank, story ids, and running blocking calls."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

if TYPE_CHECKING:
    from fastapi import FastAPI

    from storybank.service import StoryBank

T = TypeVar("T")
MAX_ID = 2**31 - 1  # the largest id every supported database stores
_open_lock = threading.Lock()


def bank_of(request: Request) -> "StoryBank":
    """The app's StoryBank, opened (and migrated) on first use."""
    return open_bank(request.app)


def open_bank(app: "FastAPI") -> "StoryBank":
    """Open the story bank of `app` once; later calls return the same one."""
    bank = getattr(app.state, "bank", None)
    if bank is not None:
        return bank
    with _open_lock:
        if getattr(app.state, "bank", None) is None:
            from storybank.service import StoryBank

            app.state.bank = StoryBank(app.state.settings)
    return app.state.bank


def close_bank(app: "FastAPI") -> None:
    """Release the database connections of `app`'s story bank, if it was opened."""
    bank = getattr(app.state, "bank", None)
    if bank is not None:
        bank.close()
        app.state.bank = None


def checked_id(value: int, what: str = "story") -> int:
    """A path id the database can hold; anything else is simply not found (404)."""
    if not 1 <= value <= MAX_ID:
        raise HTTPException(404, f"no {what} {value}")
    return value


async def blocking(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking service call in the thread pool from an async route."""
    return await run_in_threadpool(function, *args, **kwargs)
