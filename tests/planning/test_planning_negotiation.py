"""The negotiation script: the profile's order and wording, the user's numbers, no invented figure."""

import re
from decimal import Decimal as D

import pytest

from storybank.planning.models import OfferDefaults
from storybank.planning.offer import make_offer_terms, plan_offer
from storybank.rubric.loader import load_profile

TEN_BILLION = D(10) ** 10
FIGURE = re.compile(r"\$[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?[kMBT]?|[0-9]+(?:\.[0-9]+)?\s?%")


@pytest.fixture(scope="module")
def binance():
    return load_profile("binance").offer


@pytest.fixture(scope="module")
def generic():
    return load_profile("generic-pm").offer


def script_for(defaults, evidence=None, current_base=None, **offer):
    offer.setdefault("base", D(152000))
    terms = make_offer_terms(defaults=defaults, **offer)
    return plan_offer(terms, defaults=defaults, evidence=evidence, current_base=current_base)


def test_binance_script_puts_equity_first_then_base_then_sign_on(binance):
    result = script_for(binance, sign_on=D(22000), equity_percent=D("0.03"), valuations=[("10B", TEN_BILLION)])
    levers = [step["lever"] for step in result.script_steps]
    assert levers == ["opening", "equity", "base", "sign_on", "vesting", "close"]
    assert result.script.index("0.03 %") < result.script.index("$152,000") < result.script.index("$22,000")
    equity = result.script_steps[1]
    assert "$3,000,000 at a valuation of $10B" in equity["say"]
    assert "over 4 years with a 12-month cliff, then monthly" in equity["say"]
    assert any("reported by the guide" in note for note in equity["notes"])
    vesting = result.script_steps[4]
    assert any("not stated in the guide" in note for note in vesting["notes"])


def test_base_ask_stays_within_the_reported_band(binance):
    inside = script_for(binance, equity_percent=D("0.03"), valuations=[("10B", TEN_BILLION)])
    base_step = next(step for step in inside.script_steps if step["lever"] == "base")
    assert "$160,000, the top of that range" in base_step["say"]
    below = script_for(binance, base=D(140000))
    assert "below the range" in next(s["say"] for s in below.script_steps if s["lever"] == "base")
    above = script_for(binance, base=D(170000))
    assert "works for me" in next(s["say"] for s in above.script_steps if s["lever"] == "base")


def test_the_users_evidence_is_the_reason(binance):
    evidence = "I cut order-fill latency 31 % and added $1.9 M in quarterly volume"
    result = script_for(binance, evidence=evidence, equity_percent=D("0.03"), valuations=[("10B", TEN_BILLION)])
    assert f"Because {evidence}, I'm asking for [the grant you will ask for]" in result.script


def test_missing_figures_become_visible_prompts(generic):
    result = script_for(generic)
    text = result.script
    assert "[your strongest result: the decision you owned and its metric]" in text
    assert "[the base you will ask for]" in text
    assert "includes no equity" in text and "has no sign-on bonus" in text
    assert [step["lever"] for step in result.script_steps][1:4] == ["base", "equity", "sign_on"]


def test_no_figure_is_invented(binance):
    result = script_for(
        binance,
        base=D(150000),
        sign_on=D(10000),
        equity_percent=D("0.02"),
        valuations=[("8B", D(8) * 10**9)],
        current_base=D(138000),
    )
    allowed = {
        "$150,000", "$10,000", "0.02 %", "$8B", "$1,600,000",  # the user's offer and its grant
        "$138,000", "$12,000",  # the user's current base and the difference
        "$144,000", "$160,000", "$22,000", "0.03 %",  # the profile's reported figures
    }
    figures = set(FIGURE.findall(result.script))
    assert figures and figures <= allowed, figures - allowed


def test_a_profile_without_script_sentences_gives_an_empty_script():
    defaults = OfferDefaults(vest_years=4, cliff_months=12, frequency="monthly")
    result = script_for(defaults)
    assert result.script == "" and result.script_steps == []
