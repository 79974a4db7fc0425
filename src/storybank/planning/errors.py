"""The one error the planners raise for input they cannot use."""

from __future__ import annotations

from collections.abc import Mapping


class PlanningError(ValueError):
    """Input the planners cannot use; the message says what is wrong and how to fix it.

    `field` names the input at fault when one does (e.g. `cliff_months`, `country`,
    `round_3`), so a form can show the message next to it; `errors` maps every faulty
    field to its message when several were checked at once (the message is the first).
    """

    def __init__(self, message: str, *, field: str | None = None, errors: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.errors: dict[str, str] = dict(errors) if errors else ({field: message} if field else {})
