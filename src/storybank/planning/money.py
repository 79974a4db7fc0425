"""Parsing and formatting amounts of money and percentages, exactly (Decimal, to the cent)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from storybank.planning.errors import PlanningError

CENT = Decimal("0.01")
_SUFFIXES = {"": 1, "k": 10**3, "m": 10**6, "mm": 10**6, "b": 10**9, "bn": 10**9, "t": 10**12}
_AMOUNT = re.compile(r"^\s*(?P<sign>[-+]?)\s*\$?\s*(?P<number>[0-9][0-9,_]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+)\s*(?P<suffix>[a-zA-Z]*)\s*$")


def parse_amount(text: str | float | int | Decimal, what: str) -> Decimal:
    """Read an amount such as `152000`, `152,000`, `$152k`, `10B` or `1.5e10`; refuse negatives.

    `what` names the input in the error message (e.g. "--base").
    """
    if isinstance(text, bool):
        raise PlanningError(f"{what}: expected an amount, got {text!r}")
    if isinstance(text, (int, float, Decimal)):
        value = Decimal(str(text))
    else:
        match = _AMOUNT.match(text)
        suffix = match["suffix"].lower() if match else ""
        if not match or suffix not in _SUFFIXES:
            raise PlanningError(f"{what}: {text!r} is not an amount (examples: 152000, 152k, 10B)")
        try:
            value = Decimal(match["number"].replace(",", "").replace("_", "")) * _SUFFIXES[suffix]
        except InvalidOperation as error:
            raise PlanningError(f"{what}: {text!r} is not an amount") from error
        if match["sign"] == "-":
            value = -value
    if not value.is_finite():
        raise PlanningError(f"{what}: {text!r} is not a finite amount")
    if value < 0:
        raise PlanningError(f"{what}: negative amounts are not allowed ({text})")
    if value > Decimal(10) ** 16:
        raise PlanningError(f"{what}: {text} is implausibly large")
    return value


def cents(value: Decimal) -> Decimal:
    """Round to the cent, halves away from zero."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_number(value: Decimal) -> float | int:
    """A JSON-friendly number: an int when whole, else a float rounded to the cent."""
    rounded = cents(value)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def format_usd(value: Decimal) -> str:
    """`$152,000` (cents shown only when there are some)."""
    rounded = cents(value)
    if rounded == rounded.to_integral_value():
        return f"${int(rounded):,}"
    return f"${rounded:,.2f}"


def format_compact_usd(value: Decimal) -> str:
    """`$10B`, `$2.5B`, `$750M`, `$12k` for large round figures such as valuations."""
    for size, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "k")):
        if value >= size:
            scaled = value / size
            text = f"{scaled:.2f}".rstrip("0").rstrip(".")
            if Decimal(text) * size == value:
                return f"${text}{suffix}"
            break
    return format_usd(value)


def format_percent(value: Decimal) -> str:
    """`0.03 %`, `12.5 %`: the figure as given, without trailing zeros."""
    text = f"{value.normalize():f}"
    return f"{text} %"


def parse_percent(text: str | float | int | Decimal, what: str, *, maximum: Decimal | None = None) -> Decimal:
    """Read a percentage in percent (`0.03` or `0.03%` is 0.03 %); refuse negatives and values over `maximum`."""
    if isinstance(text, str):
        stripped = text.strip().removesuffix("%").strip()
        if not re.fullmatch(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", stripped):
            raise PlanningError(f"{what}: {text!r} is not a percentage (example: 0.03 for 0.03 %)")
        text = stripped
    value = parse_amount(text, what)
    if maximum is not None and value > maximum:
        raise PlanningError(f"{what}: {format_percent(value)} is over {format_percent(maximum)}")
    return value
