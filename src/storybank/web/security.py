"""Security middleware: response headers, body size limit, JSON-only API, CSRF on form posts.

All four are plain ASGI middleware, so they wrap every response, including errors and static
files, and cost little per request.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.datastructures import Headers, MutableHeaders

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 1024 * 1024
CSRF_COOKIE = "storybank_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# The one exception to the JSON-only API: spoken answers arrive as raw audio. Only these paths
# take these content types, and such requests must carry the CSRF token header like form posts.
AUDIO_BODY_PATHS = re.compile(r"/api/speech/(?:analyze|sessions/[^/]+/chunks)")
AUDIO_MEDIA_TYPES = frozenset(
    {"application/octet-stream", "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/flac", "audio/x-flac", "audio/ogg"}
)
# Whole recordings may be larger than other bodies (ten minutes of 16 kHz mono WAV is ~19 MB);
# streamed chunks still obey the 1 MiB limit.
MAX_AUDIO_UPLOAD_BYTES = 32 * 1024 * 1024
BODY_LIMITS_BY_PATH = {"/speak": MAX_AUDIO_UPLOAD_BYTES, "/api/speech/analyze": MAX_AUDIO_UPLOAD_BYTES}

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


def is_api_path(path: str) -> bool:
    """API and schema paths answer in JSON; every other path answers in HTML."""
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def is_audio_body(path: str, headers: Headers) -> bool:
    """Whether a request is raw audio sent to one of the speech endpoints that accept it."""
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return media_type in AUDIO_MEDIA_TYPES and AUDIO_BODY_PATHS.fullmatch(path) is not None


async def send_error(scope: Scope, send: Send, status: int, message: str) -> None:
    """Answer a request refused by a middleware: JSON for the API, a short HTML page otherwise."""
    if is_api_path(scope.get("path", "")):
        body = json.dumps({"detail": message}).encode()
        content_type = b"application/json"
    else:
        from html import escape

        body = (
            "<!doctype html><html lang=en><meta charset=utf-8><title>storybank: error</title>"
            "<link rel=stylesheet href=/static/app.css>"
            f"<main class=error-page><h1>{status}</h1><p>{escape(message)}</p>"
            "<p><a href=/>Back to the dashboard</a></p></main></html>"
        ).encode()
        content_type = b"text/html; charset=utf-8"
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and related headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Reads request bodies up front and refuses any over `max_bytes` with 413.

    The body is buffered (it is at most 1 MiB) and replayed to the application, so a chunked
    upload without a Content-Length is counted too.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, limits_by_path: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limits_by_path = BODY_LIMITS_BY_PATH if limits_by_path is None else limits_by_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limits_by_path.get(scope["path"], self.max_bytes)
        too_big = f"request body is larger than the {max_bytes // 1024} KiB limit"
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await send_error(scope, send, 413, too_big)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_bytes:
                await send_error(scope, send, 413, too_big)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        scope.setdefault("state", {})["raw_body"] = b"".join(chunks)
        await self.app(scope, replay_body(b"".join(chunks), receive), send)


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the buffered body over once, then waits on the real channel."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class HostCheckMiddleware:
    """Answers only requests addressed to an expected host name (400 otherwise).

    A page on another site can make its own domain resolve to 127.0.0.1 ("DNS rebinding") and
    then read this server as if it were same-origin; checking the Host header stops that.
    `allowed` holds host names without ports; None allows any (when serving on all interfaces).
    """

    def __init__(self, app: ASGIApp, allowed: frozenset[str] | None = frozenset(LOOPBACK_HOSTS)) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.allowed is None:
            await self.app(scope, receive, send)
            return
        host = Headers(scope=scope).get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name.lower() not in self.allowed:
            await send_error(scope, send, 400, f"unexpected Host header {host!r}; open storybank at http://127.0.0.1")
            return
        await self.app(scope, receive, send)


class JsonApiMiddleware:
    """Refuses API requests whose body is not JSON (415), cross-site API writes (403), and any
    cross-origin preflight (no CORS is ever granted)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_api_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "OPTIONS":
            await send_error(scope, send, 405, "cross-origin requests are not allowed (no CORS)")
            return
        if method in UNSAFE_METHODS:
            headers = Headers(scope=scope)
            if _cross_site(headers):
                await send_error(scope, send, 403, "cross-site requests to the API are refused")
                return
            media_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type != "application/json" and method != "DELETE" and not is_audio_body(scope["path"], headers):
                shown = media_type or "no content type"
                await send_error(scope, send, 415, f"the API accepts only application/json bodies, not {shown}")
                return
        await self.app(scope, receive, send)


class CsrfMiddleware:
    """Double-submit CSRF protection for the HTML pages' form posts.

    Every page response carries a random token in a SameSite=Strict cookie; pages embed the same
    token in their forms (field `csrf_token`) and in HTMX requests (header `X-CSRF-Token`). An
    unsafe request outside the JSON API must present a matching token, and a foreign Origin is
    refused outright. JSON API calls need no token: browsers cannot send them cross-origin
    without a CORS preflight, which this app never grants.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookie_token = _cookie_value(headers.get("cookie", ""), CSRF_COOKIE)
        if scope["method"] in UNSAFE_METHODS and (not is_api_path(scope["path"]) or is_audio_body(scope["path"], headers)):
            problem = _csrf_problem(scope, headers, cookie_token)
            if problem:
                await send_error(scope, send, 403, problem)
                return
        token = cookie_token or secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = token
        if cookie_token:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = f"{CSRF_COOKIE}={token}; Path=/; SameSite=Strict; HttpOnly"
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _cross_site(headers: Headers) -> bool:
    """Whether a browser says the request comes from another site (Sec-Fetch-Site or Origin)."""
    if headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        return True
    origin = headers.get("origin")
    # "null" is what a browser sends when it hides the origin (privacy settings, file pages):
    # not a verdict either way, so the CSRF token or the CORS preflight decides.
    return bool(origin) and origin != "null" and urlsplit(origin).netloc != headers.get("host", "")


def _csrf_problem(scope: Scope, headers: Headers, cookie_token: str | None) -> str | None:
    if _cross_site(headers):
        return "cross-site form posts are refused"
    if not cookie_token:
        return "the form has expired (no CSRF cookie); reload the page and try again"
    sent = headers.get(CSRF_HEADER) or _form_token(scope, headers)
    if not sent or not secrets.compare_digest(sent, cookie_token):
        return "the form has expired (CSRF token missing or wrong); reload the page and try again"
    return None


def _form_token(scope: Scope, headers: Headers) -> str | None:
    body: bytes = scope.get("state", {}).get("raw_body", b"")
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/x-www-form-urlencoded":
        values = parse_qs(body.decode("latin-1"), keep_blank_values=True).get(CSRF_FIELD)
        return values[0] if values else None
    if media_type == "multipart/form-data":
        return _multipart_field(body, headers.get("content-type", ""), CSRF_FIELD)
    return None


def _multipart_field(body: bytes, content_type: str, field: str) -> str | None:
    """Find one small text field in a multipart body without parsing the uploaded files."""
    from email.parser import BytesParser
    from email.policy import HTTP

    marker = f'name="{field}"'.encode()
    if marker not in body:
        return None
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    if not message.is_multipart():
        return None
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == field:
            payload = part.get_payload(decode=True) or b""
            return payload.decode("utf-8", "replace").strip()
    return None


def _cookie_value(cookie_header: str, name: str) -> str | None:
    for pair in cookie_header.split(";"):
        key, _, value = pair.strip().partition("=")
        if key == name and value:
            return value
    return None
