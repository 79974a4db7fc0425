"""Quantities in interview text: money, percentages, counts, durations, multiples, numbers.

A careful regular expression beats general-purpose libraries here (they read `$3.2 M` as
dollar-metres and `10k` as kelvin). Values are in units: `$3.2 M` → 3,200,000 USD.
"""

from __future__ import annotations

import re
import string
from typing import NamedTuple

from storybank.analysis.text import HYPHEN_CLASS, SPACE_CLASS, one_of

_S = f"{SPACE_CLASS}?"  # optional space of any width
_H = f"(?:{HYPHEN_CLASS}|{SPACE_CLASS})?"  # optional hyphen or space ("48-hour", "48 hour")

SPELLED = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "a dozen": 12, "dozen": 12, "a thousand": 1000, "a million": 1_000_000,
}
SCALES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mil": 1e6, "million": 1e6,
    "millions": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9, "t": 1e12,
    "tn": 1e12, "trillion": 1e12,
}
CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
CURRENCY_WORDS = {
    "usd": "USD", "dollars": "USD", "dollar": "USD", "usdt": "USDT", "usdc": "USDC",
    "eur": "EUR", "euros": "EUR", "euro": "EUR", "gbp": "GBP", "pounds": "GBP",
    "jpy": "JPY", "yen": "JPY", "inr": "INR", "rupees": "INR", "aed": "AED", "sgd": "SGD",
}
DURATION_UNITS = {
    "ms": "millisecond", "millisecond": "millisecond", "milliseconds": "millisecond",
    "s": "second", "sec": "second", "secs": "second", "second": "second", "seconds": "second",
    "min": "minute", "mins": "minute", "minute": "minute", "minutes": "minute",
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "day": "day", "days": "day", "d": "day", "business days": "day", "business day": "day",
    "week": "week", "weeks": "week", "wk": "week", "wks": "week",
    "sprint": "sprint", "sprints": "sprint",
    "month": "month", "months": "month", "mo": "month", "mos": "month",
    "quarter": "quarter", "quarters": "quarter", "year": "year", "years": "year", "yr": "year",
    "yrs": "year",
}
COUNT_NOUNS = (
    "users", "user", "dau", "mau", "wau", "customers", "customer", "clients", "traders",
    "merchants", "sellers", "buyers", "accounts", "orders", "trades", "transactions", "txns",
    "tickets", "complaints", "requests", "calls", "sign-ups", "signups", "registrations",
    "downloads", "installs", "sessions", "visits", "visitors", "subscribers", "members",
    "partners", "markets", "countries", "languages", "cities", "stores", "listings", "tokens",
    "pairs", "assets", "employees", "engineers", "people", "reports", "designers",
    "analysts", "pms", "teams", "squads", "incidents", "bugs", "defects", "outages", "alerts",
    "features", "experiments", "tests", "releases", "deploys", "deployments", "services",
    "integrations", "apis", "endpoints", "cases", "disputes", "chargebacks", "applications",
    "candidates", "hires", "leads", "deals", "contracts", "vendors", "points", "stars",
    "reviews", "pages", "steps", "clicks", "screens", "fields", "queries", "records", "rows",
    "hours saved", "positions", "wallets", "devices", "loans", "payments", "claims",
    "shipments", "deliveries", "drivers", "riders", "students", "patients", "readers",
    "viewers", "followers", "creators", "developers", "shops", "restaurants", "hotels",
    "properties", "units", "items", "products", "skus",
)

NUMBER = r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?![\w])"
_NUMBER_LOOSE = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
SPELLED_NUMBER = rf"\b{one_of(SPELLED)}(?:{HYPHEN_CLASS}(?:one|two|three|four|five|six|seven|eight|nine))?"
_ANY_NUMBER = rf"(?:{_NUMBER_LOOSE}|{SPELLED_NUMBER})"
_SCALE = rf"{one_of(['thousand', 'million', 'millions', 'billion', 'billions', 'trillion', 'mil', 'mn', 'mm', 'bn', 'tn', 'k', 'K', 'm', 'M', 'b', 'B', 't', 'T'])}(?![\w])"
_SIGN = r"(?:[+\-\u2212~≈]|up to |over |about |nearly |almost |roughly |more than |under |less than )?"
_CURRENCY_SYMBOL = r"(?:US\$|[$€£¥₹])"
_CURRENCY_WORD = rf"{one_of(['USDT', 'USDC', 'USD', 'EUR', 'GBP', 'JPY', 'INR', 'AED', 'SGD', 'dollar', 'dollars', 'euro', 'euros', 'pounds', 'yen', 'rupees'])}\b"

# Duration units after a number, as written ("48-hour", "3 wks"); "business days" is added apart.
_DURATION_WORDS = [unit for unit in DURATION_UNITS if " " not in unit]

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "money",
        re.compile(
            rf"(?P<sign>[+\-\u2212])?(?P<cur>{_CURRENCY_SYMBOL}){_S}(?P<num>{_NUMBER_LOOSE})"
            rf"(?:{_S}(?P<scale>{_SCALE}))?(?:{_S}(?P<code>{_CURRENCY_WORD}))?"
        ),
    ),
    (
        "money",
        re.compile(
            rf"(?<![\w.,$€£¥])(?P<num>{_ANY_NUMBER})(?:{_S}(?P<scale>{_SCALE}))?{_S}(?P<code>{_CURRENCY_WORD})",
            re.IGNORECASE,
        ),
    ),
    (
        "percent",
        re.compile(
            rf"(?<![\w.,])(?P<sign>[+\-\u2212])?(?P<num>{_ANY_NUMBER}){_S}"
            r"(?P<unit>%|percent(?:age points?)?\b|per cent\b|pct\b|pp\b|bps\b|basis points?\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "multiple",
        re.compile(rf"(?<![\w.,])(?P<num>{_NUMBER_LOOSE}){_S}(?P<unit>[x×])(?![\w])", re.IGNORECASE),
    ),
    (
        "multiple",
        re.compile(r"\b(?P<word>twofold|threefold|fourfold|fivefold|tenfold|two-fold|three-fold|ten-fold)\b", re.IGNORECASE),
    ),
    (
        "duration",
        re.compile(
            rf"(?<![\w.,])(?P<num>{_ANY_NUMBER}){_H}"
            rf"(?P<unit>business{SPACE_CLASS}days?|{one_of(_DURATION_WORDS)})(?![\w])",
            re.IGNORECASE,
        ),
    ),
    (
        "count",
        re.compile(
            rf"(?<![\w.,])(?P<num>{_ANY_NUMBER})(?:{_S}(?P<scale>{_SCALE}))?{_S}(?:(?:new|more|active|daily|monthly|"
            rf"paying|fewer|extra|additional|unique|retail|institutional|enterprise|support|customer|"
            rf"user|open|critical|P[0-4]){SPACE_CLASS})*(?:[a-z]+(?:-[a-z]+)?{SPACE_CLASS}){{0,2}}"
            rf"(?P<unit>{one_of(COUNT_NOUNS)})(?![\w])",
            re.IGNORECASE,
        ),
    ),
    ("number", re.compile(rf"(?<![\w.,$€£¥])(?P<num>{_NUMBER_LOOSE})(?:{_S}(?P<scale>thousand|million|billion|[kKMB]|bn|mm))?(?![\w])")),
]


class Quantity(NamedTuple):
    """One quantity found in the text; `value` is in units (dollars, not millions)."""

    text: str
    kind: str
    value: float
    unit: str | None
    start: int
    end: int

    def to_dict(self) -> dict:
        """JSON form (SPEC's `quantities` items)."""
        return {
            "text": self.text,
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "start": self.start,
            "end": self.end,
        }


def parse_number(token: str) -> float | None:
    """Read digits (with thousands separators) or a spelled-out number such as `twenty-four`."""
    cleaned = token.replace(",", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        pass
    lowered = re.sub(HYPHEN_CLASS, "-", cleaned.lower())
    if lowered in SPELLED:
        return float(SPELLED[lowered])
    if "-" in lowered:
        tens, _, ones = lowered.partition("-")
        if tens in SPELLED and ones in SPELLED:
            return float(SPELLED[tens] + SPELLED[ones])
    return None


def _scale(scale: str | None) -> float:
    if not scale:
        return 1.0
    return SCALES.get(scale.lower(), 1.0)


_FOLDS = {"twofold": 2, "threefold": 3, "fourfold": 4, "fivefold": 5, "tenfold": 10}
_PERCENT_UNITS = {"bps": "bps", "basis point": "bps", "basis points": "bps", "pp": "pp"}
_SPACE_RUN = re.compile(r"\s+")


def _build(kind: str, match: re.Match[str]) -> Quantity | None:
    groups = match.groupdict()
    if kind == "multiple" and groups.get("word"):
        word = groups["word"].lower().replace("-", "")
        value = _FOLDS[word]
        return Quantity(match.group(), kind, float(value), "x", match.start(), match.end())
    number = parse_number(groups["num"])
    if number is None:
        return None
    value = -number if groups.get("sign") in ("-", "\u2212") else number
    unit: str | None = None
    if kind == "money":
        value *= _scale(groups.get("scale"))
        code = groups.get("code")
        unit = CURRENCY_WORDS.get(code.lower(), code.upper()) if code else CURRENCY_SYMBOLS.get(groups.get("cur") or "$", "USD")
    elif kind == "percent":
        raw_unit = groups["unit"].lower()
        unit = _PERCENT_UNITS.get(raw_unit, "%")
        if raw_unit.startswith("percentage point"):
            unit = "pp"
    elif kind == "multiple":
        unit = "x"
    elif kind == "duration":
        unit = DURATION_UNITS.get(_SPACE_RUN.sub(" ", groups["unit"].lower()), groups["unit"].lower())
    elif kind == "count":
        value *= _scale(groups.get("scale"))
        unit = groups["unit"]
    else:
        value *= _scale(groups.get("scale"))
    return Quantity(match.group(), kind, value, unit, match.start(), match.end())


_DIGIT_OR_CURRENCY = re.compile(r"[\d$€£¥₹]")
_PREFIX_CHARACTERS = "+-\u2212~≈$€£¥₹"
_SPELLED_WORDS_ALONE = {word for word in SPELLED if " " not in word} | {"twofold", "threefold", "fourfold", "fivefold", "tenfold"}
_SPELLED_PHRASES = [phrase for phrase in SPELLED if " " in phrase]


def _number_word_starts() -> re.Pattern[str]:
    """In ASCII-lowercased text: a whole run of ASCII letters that is a number word, or the start
    of a number phrase ("a dozen", its later words in any case the quantity patterns accept).

    Every alternative begins with its first letter, then looks back to make sure that letter
    starts a word: the regex engine then skips straight to letters that can begin a number.
    """
    alternatives = []
    for letter in sorted({word[0] for word in [*_SPELLED_WORDS_ALONE, *_SPELLED_PHRASES]}):
        words = [word[1:] for word in _SPELLED_WORDS_ALONE if word[0] == letter]
        phrases = [phrase[1:] for phrase in _SPELLED_PHRASES if phrase[0] == letter]
        rests = [f"{one_of(words)}(?![a-z])"] if words else []
        rests += [f"(?=(?i:{one_of(phrases)}))"] if phrases else []
        alternatives.append(f"{letter}(?<![a-z].)(?:{'|'.join(rests)})")
    return re.compile("|".join(alternatives))


_SPELLED_START = _number_word_starts()
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _candidate_starts(text: str) -> list[int]:
    """Where a quantity may begin: at a digit or currency sign (with its sign), or a number word.
    Scanning for these first keeps extraction fast on long answers."""
    starts = set()
    for position in _digit_or_currency_positions(text):
        start = position
        starts.add(start)
        while start > 0 and text[start - 1] in _PREFIX_CHARACTERS and position - start < 2:
            start -= 1
        if text[max(0, start - 2):start] == "US":
            start -= 2
        starts.add(start)
    lowered = text.lower() if text.isascii() else text.translate(_ASCII_LOWER)  # same offsets either way
    starts.update(match.start() for match in _SPELLED_START.finditer(lowered))
    return sorted(starts)


def _digit_or_currency_positions(text: str) -> list[int]:
    """Offsets of every digit and currency sign. ASCII text (most answers) is searched with
    `str.find`, which is many times faster than a regular expression for a few rare characters."""
    if not text.isascii():
        return [match.start() for match in _DIGIT_OR_CURRENCY.finditer(text)]
    positions = []
    for character in "0123456789$":
        position = text.find(character)
        while position >= 0:
            positions.append(position)
            position = text.find(character, position + 1)
    return positions


def extract_quantities(text: str) -> list[Quantity]:
    """All quantities in the text, leftmost first; at one position the most specific kind wins."""
    found: list[Quantity] = []
    claimed_until = 0
    for position in _candidate_starts(text):
        if position < claimed_until:
            continue
        quantity = _quantity_at(text, position)
        if quantity is not None:
            found.append(quantity)
            claimed_until = quantity.end
    return found


def _quantity_at(text: str, position: int) -> Quantity | None:
    for kind, pattern in _PATTERNS:
        match = pattern.match(text, position)
        if match is None or match.end() == match.start():
            continue
        if kind == "number" and _is_list_marker(text, match.start()):
            return None
        quantity = _build(kind, match)
        if quantity is not None:
            return quantity
    return None


def _is_list_marker(text: str, start: int) -> bool:
    """`1.` or `2)` at the start of a line numbers a list item; it is not a quantity."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return False
    after = text[start:start + 4]
    return bool(re.match(r"\d+[.)]\s", after))
