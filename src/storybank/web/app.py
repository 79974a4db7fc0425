"""The web app factory: `create_app(settings)` builds the FastAPI app for `storybank serve`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from storybank import __version__
from storybank.settings import Settings
from storybank.web.deps import close_bank
from storybank.web.errors import install_error_handlers
from storybank.web.rendering import build_templates
from storybank.web.routes import ROUTERS
from storybank.web.security import (
    LOOPBACK_HOSTS,
    BodyLimitMiddleware,
    CsrfMiddleware,
    HostCheckMiddleware,
    JsonApiMiddleware,
    SecurityHeadersMiddleware,
)
from storybank.web.speech_sessions import close_speech_sessions

STATIC_DIR = Path(__file__).parent / "static"

API_DESCRIPTION = """\
storybank's local HTTP API. Every page of the web UI has a JSON twin here.

POST and PUT requests must be `application/json` (other content types get 415), and
cross-site writes get 403; no CORS is granted. The one exception: the speech endpoints that take
raw audio (`/api/speech/analyze`, `…/chunks`), which need the page's `X-CSRF-Token` header. Bodies over
1 MiB get 413, texts over 100,000 characters and malformed JSON get 422, unknown or malformed
ids get 404, and an edit based on a stale version gets 409. Errors are `{"detail": message}`.
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Close the story bank's database connections (and abandon any recording) when the server stops."""
    yield
    close_bank(app)
    close_speech_sessions(app)


def create_app(settings: Settings | None = None, *, allowed_hosts: Iterable[str] | None = LOOPBACK_HOSTS) -> FastAPI:
    """Build the app around `settings` (from the environment when not given).

    `allowed_hosts` are the host names requests may be addressed to (loopback by default);
    None accepts any, for serving on every interface.
    """
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="storybank",
        version=__version__,
        description=API_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.templates = build_templates()
    install_error_handlers(app)
    # Added innermost first: requests pass SecurityHeaders → HostCheck → BodyLimit → JsonApi → Csrf → routes.
    app.add_middleware(CsrfMiddleware)
    app.add_middleware(JsonApiMiddleware)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(HostCheckMiddleware, allowed=None if allowed_hosts is None else frozenset(allowed_hosts))
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app
