"""Typed errors raised by the service layer; the web maps them to 404 / 409 / 422, the CLI
to exit codes 2 / 1 / 2. Each message is written for the person who caused it."""

from __future__ import annotations


class StorybankError(Exception):
    """Base of every error the service layer raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(StorybankError):
    """The story, version or record asked for does not exist (or is in the trash)."""


class Conflict(StorybankError):
    """An edit was based on a version that is no longer the latest; nothing was written."""

    def __init__(self, message: str, *, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version


class InvalidInput(StorybankError):
    """Input that cannot be used: names the field, or the file and line for imports."""

    def __init__(
        self, message: str, *, field: str | None = None, file: str | None = None, line: int | None = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.file = file
        self.line = line
