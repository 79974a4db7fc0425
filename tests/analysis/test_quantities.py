"""Quantity extraction on the forms interview answers use, including Unicode spacing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storybank.analysis.quantities import (
    _DIGIT_OR_CURRENCY,
    _digit_or_currency_positions,
    extract_quantities,
    parse_number,
)

CASES = [
    ("revenue up $3.2 M", "$3.2 M", "money", 3_200_000, "USD"),
    ("a base of $152,000", "$152,000", "money", 152_000, "USD"),
    ("we kept 1.4M USD", "1.4M USD", "money", 1_400_000, "USD"),
    ("a €1.2bn book", "€1.2bn", "money", 1_200_000_000, "EUR"),
    ("latency fell 32 %", "32 %", "percent", 32, "%"),
    ("churn −4.3 % since", "−4.3 %", "percent", -4.3, "%"),
    ("up 31 percent", "31 percent", "percent", 31, "%"),
    ("reached 10k DAU", "10k DAU", "count", 10_000, "DAU"),
    ("2 million users joined", "2 million users", "count", 2_000_000, "users"),
    ("shipped in 6 weeks", "6 weeks", "duration", 6, "week"),
    ("a 48‑hour rollback", "48‑hour", "duration", 48, "hour"),
    ("within 28 days", "28 days", "duration", 28, "day"),
    ("2x faster", "2x", "multiple", 2, "x"),
    ("3× the volume", "3×", "multiple", 3, "x"),
    ("three weeks later", "three weeks", "duration", 3, "week"),
    ("twenty-four hours", "twenty-four hours", "duration", 24, "hour"),
    ("a 0.03 % grant", "0.03 %", "percent", 0.03, "%"),
]


@pytest.mark.parametrize(("text", "found", "kind", "value", "unit"), CASES)
def test_extracts_value_in_units(text, found, kind, value, unit):
    quantities = extract_quantities(text)
    assert len(quantities) == 1, quantities
    quantity = quantities[0]
    assert (quantity.text, quantity.kind, quantity.unit) == (found, kind, unit)
    assert quantity.value == pytest.approx(value)
    assert text[quantity.start:quantity.end] == found


def test_narrow_no_break_space_before_percent():
    text = "friction fell 18\u202f%"
    (quantity,) = extract_quantities(text)
    assert quantity.kind == "percent" and text[quantity.start:quantity.end] == "18\u202f%"


def test_ranges_give_two_quantities():
    assert [q.text for q in extract_quantities("$130k–$145k base")] == ["$130k", "$145k"]


def test_words_that_are_not_numbers_are_ignored():
    assert extract_quantities("one of the Q3 goals for the P0 list") == []


def test_numbered_list_markers_are_not_quantities():
    assert extract_quantities("1. I decided\n2. I shipped") == []


@pytest.mark.parametrize(("token", "value"), [("1,250", 1250), ("seven", 7), ("forty-two", 42), ("x", None)])
def test_parse_number(token, value):
    assert parse_number(token) == value


@given(st.text(max_size=300))
def test_spans_always_index_the_exact_text(text):
    for quantity in extract_quantities(text):
        assert text[quantity.start:quantity.end] == quantity.text
        assert quantity.start < quantity.end


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda v: round(v, 2)))
def test_percent_round_trips_its_value(value):
    text = f"conversion rose {value} %"
    quantities = [q for q in extract_quantities(text) if q.kind == "percent"]
    assert quantities and quantities[0].value == pytest.approx(value)


PIECES = ["5", "$", "x", " ", "\n", "€", "٣"]


@given(st.lists(st.sampled_from(PIECES) | st.text(st.characters(max_codepoint=127), max_size=3), max_size=15).map("".join))
def test_ascii_scan_finds_what_the_unicode_scan_finds(text):
    assert sorted(_digit_or_currency_positions(text)) == [m.start() for m in _DIGIT_OR_CURRENCY.finditer(text)]
