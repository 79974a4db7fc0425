"""Every error becomes a response with a clear message: JSON under /api/, a page elsewhere.

Bad input never reaches a 500 or a stack trace. The service layer's typed errors are mapped to
HTTP statuses here, in one place: NotFound → 404, Conflict → 409, InvalidInput → 422.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from storybank.web.security import SECURITY_HEADERS, is_api_path

log = logging.getLogger("storybank.web")

MESSAGES_BY_STATUS = {
    400: "bad request",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    409: "conflict",
    413: "request body too large",
    415: "unsupported content type",
    422: "invalid input",
}


def error_response(
    request: Request,
    status: int,
    message: str,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    """Answer with `message`: as `{"detail": …}` for the API, as an error page for the UI."""
    if is_api_path(request.url.path):
        content: dict[str, Any] = {"detail": message}
        if errors:
            content["errors"] = errors
        content.update(extra or {})
        return JSONResponse(content, status_code=status)
    from storybank.web.rendering import render

    return render(request, "error.html", {"status": status, "message": message, "errors": errors or []}, status)


def describe_validation_errors(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """One readable sentence for the first problem, and a short list of all of them."""
    described = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        field = "body" if error.get("type") == "json_invalid" else ".".join(location) or "body"
        described.append({"field": field, "message": _validation_message(error, field)})
    if not described:
        return "invalid input", []
    return described[0]["message"], described


def _validation_message(error: dict[str, Any], field: str) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "json_invalid":
        return f"malformed JSON: {context.get('error', 'cannot be parsed')}"
    if kind == "string_too_long":
        value = error.get("input")
        size = f"{len(value):,} characters" if isinstance(value, str) else "too long"
        return f"{field}: {size}; the limit is {context.get('max_length', 0):,} characters"
    if kind == "missing":
        return f"{field}: required"
    if kind == "extra_forbidden":
        return f"{field}: unknown field (check the spelling)"
    if kind == "model_attributes_type" or kind == "dict_type":
        return f"{field or 'body'}: expected a JSON object"
    return f"{field}: {error.get('msg', 'invalid value')}"


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into clear 4xx responses."""
    from storybank.errors import Conflict, InvalidInput, NotFound
    from storybank.rubric.loader import ProfileError

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        message = error.detail if isinstance(error.detail, str) else MESSAGES_BY_STATUS.get(error.status_code, "error")
        response = error_response(request, error.status_code, message)
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        message, described = describe_validation_errors(list(error.errors()))
        return error_response(request, 422, message, described)

    @app.exception_handler(ProfileError)
    async def profile_error(request: Request, error: ProfileError) -> Response:
        return error_response(request, 422, str(error))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        return error_response(request, 404, str(error))

    @app.exception_handler(Conflict)
    async def conflict(request: Request, error: Conflict) -> Response:
        extra = {"current_version": error.current_version} if error.current_version is not None else None
        return error_response(request, 409, str(error), extra=extra)

    @app.exception_handler(InvalidInput)
    async def invalid_input(request: Request, error: InvalidInput) -> Response:
        field = error.field or ("line %d" % error.line if error.line else None)
        errors = [{"field": field, "message": str(error)}] if field else None
        return error_response(request, 422, str(error), errors)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        message = "something went wrong inside storybank; nothing was changed by this request"
        if is_api_path(request.url.path):
            response: Response = JSONResponse({"detail": message}, status_code=500)
        else:
            response = HTMLResponse(f"<!doctype html><title>storybank: error</title><p>{message}</p>", status_code=500)
        response.headers.update(SECURITY_HEADERS)
        return response
