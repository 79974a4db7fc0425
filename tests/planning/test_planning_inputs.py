"""Reading the planners' inputs as typed: the rules the CLI, the pages and the API share."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storybank.planning.errors import PlanningError
from storybank.planning.inputs import (
    CLI_FLAGS,
    OfferInputs,
    amount_label,
    parse_offers_text,
    parse_round,
    parse_rounds,
    plan_offer_from_inputs,
    process_calendar,
    read_offer,
)
from storybank.planning.models import ProcessDefaults
from storybank.rubric.loader import load_profile

DEFAULTS = load_profile("binance").offer


@given(st.integers(1, 99), st.dates(date(1900, 1, 1), date(2999, 12, 31)))
def test_round_text_round_trips(number, day):
    assert parse_round(f"{number}={day.isoformat()}") == (number, day)
    assert parse_round(f" {number} = {day.isoformat()} ") == (number, day)


def test_round_errors_name_the_field():
    with pytest.raises(PlanningError) as error:
        parse_rounds(["2=2026-03-04", "2=2026-03-05"], "round")
    assert error.value.field == "round_2" and "given twice" in str(error.value)
    with pytest.raises(PlanningError) as error:
        parse_round("3=2026-02-30", "round")
    assert error.value.field == "round_3" and "not a date" in str(error.value)


def test_every_faulty_offer_field_is_reported_at_once():
    inputs = OfferInputs(base="-5", sign_on="lots", equity_percent="150", valuations=["1B"], cliff_months="x")
    with pytest.raises(PlanningError) as error:
        read_offer(inputs, defaults=DEFAULTS)
    assert set(error.value.errors) == {"base", "sign_on", "equity_percent", "cliff_months"}
    assert "negative amounts" in error.value.errors["base"]
    assert "over 100 %" in error.value.errors["equity_percent"]
    assert str(error.value) == error.value.errors["base"]


def test_cross_field_errors_name_the_field():
    with pytest.raises(PlanningError) as error:
        read_offer(OfferInputs(base="1", cliff_months="60"), defaults=DEFAULTS)
    assert error.value.field == "cliff_months" and "longer than the 4-year vesting period" in str(error.value)
    with pytest.raises(PlanningError) as error:
        read_offer(OfferInputs(base="1", equity_percent="0.03"), defaults=DEFAULTS)
    assert error.value.field == "valuations"


def test_blanks_are_not_given_and_labels_follow_the_caller():
    read = read_offer(OfferInputs(base="152k", sign_on=" ", valuations=["", "10B"], equity_percent="0.03"), defaults=DEFAULTS)
    assert read.terms.sign_on == 0 and [scenario.key for scenario in read.terms.scenarios] == ["10B"]
    with pytest.raises(PlanningError, match="^--base: required"):
        read_offer(OfferInputs(), defaults=DEFAULTS, labels=CLI_FLAGS)


def test_an_offer_name_given_twice_is_refused():
    others = [read_offer(OfferInputs(base="1"), defaults=DEFAULTS).terms]
    with pytest.raises(PlanningError, match="two offers are called 'this offer'") as error:
        plan_offer_from_inputs(OfferInputs(base="2"), defaults=DEFAULTS, others=others)
    assert error.value.field == "compare"


def test_inputs_as_a_json_body_keep_only_what_was_given():
    inputs = OfferInputs(base="152k", sign_on="", valuations=["10B", " "], vest_years=4)
    assert inputs.to_dict() == {"base": "152k", "valuations": ["10B"], "vest_years": 4}


def test_amount_labels_are_the_amounts_as_typed():
    assert [amount_label(value) for value in (" 10B ", 5e9, 12.5, 7)] == ["10B", "5000000000", "12.5", "7"]


def test_the_calendar_falls_back_to_the_profiles_country():
    process = ProcessDefaults(country="GB", subdivision="SCT")
    assert (process_calendar(process, None, " ").country, process_calendar(process, "", None).subdivision) == ("GB", "SCT")
    assert process_calendar(process, "us", None).subdivision is None
    with pytest.raises(PlanningError) as error:
        process_calendar(ProcessDefaults(), "XX", None)
    assert error.value.field == "country"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("{not json", "malformed JSON at line 1"), ("offers: [\n  - x\n", "malformed YAML at line")],
)
def test_offers_text_errors_name_the_source(text, fragment):
    with pytest.raises(PlanningError, match="pasted offers: " + fragment):
        parse_offers_text(text, "pasted offers")


def test_offers_text_reads_json_and_yaml():
    assert parse_offers_text('[{"name": "A", "base": 1}]', "x") == [{"name": "A", "base": 1}]
    assert parse_offers_text("- name: A\n  base: 1\n", "x") == [{"name": "A", "base": 1}]
