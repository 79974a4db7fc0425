"""Opening the story bank from a command, with the service's errors turned into exit codes:
`Conflict` exits 1, every other service error (bad input, unknown id) exits 2 with its message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from storybank.cli.common import fail

if TYPE_CHECKING:
    from storybank.service import StoryBank


@contextmanager
def open_bank() -> Iterator["StoryBank"]:
    """The story bank named by the environment; closes it and maps errors to exit codes."""
    from sqlalchemy.exc import SQLAlchemyError

    from storybank.errors import Conflict, StorybankError
    from storybank.service import StoryBank
    from storybank.settings import Settings

    settings = Settings.from_env()
    try:
        bank = StoryBank(settings)
    except SQLAlchemyError as error:
        fail(f"cannot open the story bank at {_safe_url(settings.database_url)}: {_first_line(error)}")
    except OSError as error:
        fail(f"cannot open the story bank: {error.strerror or error}")
    try:
        yield bank
    except Conflict as error:
        fail(str(error), code=1)
    except StorybankError as error:
        fail(str(error))
    except SQLAlchemyError as error:
        fail(f"database error: {_first_line(error)}")
    finally:
        bank.close()


def _first_line(error: Exception) -> str:
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as typed, minus anything after '@'
        return url.split("@")[-1]
