"""Reading the planners' inputs as typed: dates, rounds, amounts, whole offers, lists of offers.

One set of rules for the command line, the web pages and the JSON API; each caller only says
how an input is called in its messages (`--base` on the command line, `base` in JSON, "Base
salary" on a page). Every reader raises PlanningError naming the input, with `field` set to
the input's key, so a form can put the message next to the field. Parsing text is not I/O:
nothing here reads files, the clock or the network.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any, Literal, TypeVar, Union

from storybank.planning.business_days import BusinessCalendar, business_calendar
from storybank.planning.errors import PlanningError
from storybank.planning.models import OfferDefaults, ProcessDefaults
from storybank.planning.money import parse_amount, parse_percent
from storybank.planning.offer import HUNDRED, OfferPlan, OfferTerms, make_offer_terms, plan_offer

Amount = Union[str, int, float, Decimal]
T = TypeVar("T")
_ROUND = re.compile(r"\s*(\d{1,2})\s*=\s*(\S+)\s*")

# How each offer input is called in messages, per caller.
CLI_FLAGS = {
    "base": "--base",
    "sign_on": "--sign-on",
    "bonus_percent": "--bonus-percent",
    "equity_percent": "--equity-percent",
    "valuations": "--valuation",
    "units": "--units",
    "price": "--price",
    "vest_years": "--vest-years",
    "cliff_months": "--cliff-months",
    "frequency": "--frequency",
    "current_base": "--current-base",
}
JSON_FIELDS = {name: name for name in CLI_FLAGS}


def parse_date(text: str, what: str, *, field: str | None = None) -> date:
    """An ISO date (YYYY-MM-DD); PlanningError naming `what` otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PlanningError(f"{what}: {text!r} is not a date; expected YYYY-MM-DD", field=field) from None


def parse_round(text: str, what: str = "--round") -> tuple[int, date]:
    """A round that took place, written `N=YYYY-MM-DD`, as (N, date)."""
    match = _ROUND.fullmatch(text)
    if not match:
        raise PlanningError(f"{what}: {text!r} is not N=YYYY-MM-DD (e.g. 2=2026-03-04)", field="rounds")
    number = int(match[1])
    return number, parse_date(match[2], f"{what} {number}", field=f"round_{number}")


def parse_rounds(texts: Iterable[str], what: str = "--round") -> dict[int, date]:
    """Several `N=YYYY-MM-DD` rounds; a round given twice is an error."""
    actual: dict[int, date] = {}
    for text in texts:
        number, day = parse_round(text, what)
        if number in actual:
            raise PlanningError(f"{what} {number} is given twice", field=f"round_{number}")
        actual[number] = day
    return actual


def process_calendar(process: ProcessDefaults, country: str | None, subdivision: str | None) -> BusinessCalendar:
    """Business days of the chosen country (and subdivision), else of the profile's own."""
    country = (country or "").strip() or None
    subdivision = (subdivision or "").strip() or None
    if country is None and subdivision is None:
        return business_calendar(process.country, process.subdivision)
    return business_calendar(country or process.country, subdivision)


def amount_label(value: Amount) -> str:
    """An amount as its scenario key: text as typed (trimmed), whole floats without `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def parse_whole_number(value: int | str, what: str, *, field: str | None = None) -> int:
    """A whole number of 0 or more, from an int or digits."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PlanningError(f"{what}: expected a whole number, got {value!r}", field=field)
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise PlanningError(f"{what}: {value!r} is not a whole number", field=field)
        value = int(value.strip())
    if value < 0:
        raise PlanningError(f"{what}: negative numbers are not allowed ({value})", field=field)
    return value


@dataclass(frozen=True)
class OfferInputs:
    """One offer as typed: amounts as text or numbers; blanks and None mean "not given"."""

    base: Amount | None = None
    sign_on: Amount | None = None
    bonus_percent: Amount | None = None
    equity_percent: Amount | None = None
    valuations: Sequence[Amount] = ()
    units: Amount | None = None
    price: Amount | None = None
    vest_years: int | str | None = None
    cliff_months: int | str | None = None
    frequency: str | None = None
    current_base: Amount | None = None
    evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The inputs that were given, as a JSON body for `POST /api/offer`."""
        body: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "valuations":
                value = [entry for entry in value if _given(entry)]
                if value:
                    body["valuations"] = [str(entry) if isinstance(entry, Decimal) else entry for entry in value]
            elif _given(value):
                body[item.name] = str(value) if isinstance(value, Decimal) else value
        return body


@dataclass(frozen=True)
class ReadOffer:
    """An offer read from its inputs: the validated terms and the candidate's current base."""

    terms: OfferTerms
    current_base: Decimal | None
    evidence: str | None


class Problems:
    """Collects one message per faulty field, so a form can show them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def attempt(self, key: str, reader: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """`reader(*args, **kwargs)`, or None with its message noted under `key`."""
        try:
            return reader(*args, **kwargs)
        except PlanningError as error:
            for field, message in (error.errors or {error.field or key: str(error)}).items():
                self.errors.setdefault(field, message)
            return None

    def raise_any(self) -> None:
        """Raise one PlanningError carrying every message noted so far, if any."""
        if self.errors:
            first_field, first_message = next(iter(self.errors.items()))
            raise PlanningError(first_message, field=first_field, errors=self.errors)


def read_offer(
    inputs: OfferInputs,
    *,
    defaults: OfferDefaults | None,
    labels: Mapping[str, str] = JSON_FIELDS,
    name: str = "this offer",
) -> ReadOffer:
    """Parse every input (reporting every faulty field at once), then check the offer as a whole.

    Vesting terms not given come from `defaults` (the profile's `offer:` section).
    """
    problems = Problems()

    def amount(field: str, value: Amount | None) -> Decimal | None:
        return problems.attempt(field, parse_amount, value, labels[field]) if _given(value) else None

    def percent(field: str, value: Amount | None, maximum: Decimal | None = None) -> Decimal | None:
        if not _given(value):
            return None
        return problems.attempt(field, parse_percent, value, labels[field], maximum=maximum)

    def whole(field: str, value: int | str | None) -> int | None:
        return problems.attempt(field, parse_whole_number, value, labels[field], field=field) if _given(value) else None

    if not _given(inputs.base):
        problems.errors["base"] = f"{labels['base']}: required (the offer's base salary, e.g. 152000 or 152k)"
    base = amount("base", inputs.base)
    valuations = []
    for value in inputs.valuations:
        if _given(value):
            parsed = amount("valuations", value)
            if parsed is not None:
                valuations.append((amount_label(value), parsed))
    price = amount("price", inputs.price)
    frequency = inputs.frequency.strip() if isinstance(inputs.frequency, str) and inputs.frequency.strip() else None
    values = dict(
        sign_on=amount("sign_on", inputs.sign_on),
        bonus_percent=percent("bonus_percent", inputs.bonus_percent),
        equity_percent=percent("equity_percent", inputs.equity_percent, maximum=HUNDRED),
        units=amount("units", inputs.units),
        vest_years=whole("vest_years", inputs.vest_years),
        cliff_months=whole("cliff_months", inputs.cliff_months),
    )
    current_base = amount("current_base", inputs.current_base)
    problems.raise_any()
    terms = make_offer_terms(
        base=base,
        name=name,
        valuations=valuations,
        prices=[(amount_label(inputs.price), price)] if price is not None else [],
        frequency=frequency,
        defaults=defaults,
        **values,
    )
    evidence = inputs.evidence if _given(inputs.evidence) else None
    return ReadOffer(terms, current_base, evidence)


def plan_offer_from_inputs(
    inputs: OfferInputs,
    *,
    defaults: OfferDefaults | None,
    others: Sequence[OfferTerms] = (),
    labels: Mapping[str, str] = JSON_FIELDS,
) -> OfferPlan:
    """Read an offer and plan it: the object `storybank offer --json` and `POST /api/offer` show."""
    read = read_offer(inputs, defaults=defaults, labels=labels)
    names = [read.terms.name, *(other.name for other in others)]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise PlanningError(f"two offers are called {repeated[0]!r}; give each offer its own name", field="compare")
    return plan_offer(read.terms, current_base=read.current_base, others=others, defaults=defaults, evidence=read.evidence)


def parse_offers_text(text: str, source: str, *, format: Literal["json", "yaml", "auto"] = "auto") -> Any:
    """Parse a list of offers written as JSON or YAML (`auto`: JSON when it starts like JSON).

    Errors name `source` and the line and column.
    """
    if format == "json" or (format == "auto" and text.lstrip()[:1] in ("{", "[")):
        import json

        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            message = f"{source}: malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            raise PlanningError(message, field="compare") from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        message = f"{source}: malformed YAML{where}: {getattr(error, 'problem', None) or error}"
        raise PlanningError(message, field="compare") from None
