"""The offer planner: hand-computed cases, vesting properties, bad input."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storybank.planning.errors import PlanningError
from storybank.planning.money import cents
from storybank.planning.offer import Vesting, make_offer_terms, plan_offer, sum_rows, year_rows
from storybank.rubric.loader import load_profile

TEN_BILLION = D(10) ** 10


@pytest.fixture(scope="module")
def binance_offer():
    return load_profile("binance").offer


def terms(**kwargs):
    kwargs.setdefault("vest_years", 4)
    kwargs.setdefault("cliff_months", 12)
    kwargs.setdefault("frequency", "monthly")
    return make_offer_terms(**kwargs)


def test_guide_offer_year_one_is_base_plus_sign_on_plus_a_quarter_of_the_grant(binance_offer):
    offer = terms(base=D(152000), sign_on=D(22000), equity_percent=D("0.03"), valuations=[("10B", TEN_BILLION)])
    data = plan_offer(offer, defaults=binance_offer).to_dict()
    # 0.03 % of $10B is a $3,000,000 grant; a quarter of it vests at the one-year cliff.
    assert data["years"][0] == {
        "year": 1, "base": 152000, "sign_on": 22000, "bonus": 0,
        "equity": {"10B": 750000}, "total": {"10B": 924000},
    }
    assert [row["total"]["10B"] for row in data["years"][1:]] == [902000, 902000, 902000]
    assert data["totals"] == {
        "years": 4, "base": 608000, "sign_on": 22000, "bonus": 0,
        "equity": {"10B": 3000000}, "total": {"10B": 3630000},
    }
    assert data["cliff"]["vests_at_cliff"] == {"10B": 750000}
    assert data["cliff"]["forfeited_if_leaving_before"] == {"10B": 3000000}
    assert data["cliff"]["months"] == 12 and data["cliff"]["first_vest_month"] == 12


def test_profile_vesting_defaults_are_used_and_labelled(binance_offer):
    offer = make_offer_terms(base=D(152000), equity_percent=D("0.03"), valuations=[("10B", TEN_BILLION)], defaults=binance_offer)
    assert offer.vesting == Vesting(4, 12, "monthly")
    assert offer.defaulted == ("vest_years", "cliff_months", "frequency")
    notes = plan_offer(offer, defaults=binance_offer).assumptions
    assert any("frequency = monthly" in note and "not stated in the guide" in note for note in notes)


def test_quarterly_vesting_with_a_six_month_cliff():
    # $240,000 over 2 years, 6-month cliff, quarterly: 6/24 at the cliff, then each quarter end.
    vesting = Vesting(2, 6, "quarterly")
    assert vesting.events() == [6, 9, 12, 15, 18, 21, 24]
    assert vesting.cumulative(D(240000), 5) == 0
    assert vesting.cumulative(D(240000), 6) == D(60000)
    assert vesting.cumulative(D(240000), 8) == D(60000)
    assert vesting.by_year(D(240000), 3) == [D(120000), D(120000), D(0)]


def test_annual_vesting_without_cliff_on_units_and_a_bonus():
    offer = terms(base=D(150000), bonus_percent=D(10), units=D(3000), prices=[("10", D(10))], vest_years=3, cliff_months=0, frequency="annual")
    rows = year_rows(offer)
    assert [row.equity["10"] for row in rows] == [D(10000), D(10000), D(10000), D(0)]
    assert [row.bonus for row in rows] == [D(15000)] * 4
    assert rows[0].total == {"10": D(175000)}


def test_scenario_keys_are_the_valuations_as_given_in_order():
    offer = terms(base=D(1), equity_percent=D("0.03"), valuations=[("20000000000", D(2) * TEN_BILLION), ("10B", TEN_BILLION)])
    data = plan_offer(offer).to_dict()
    for row in data["years"]:
        assert list(row["equity"]) == list(row["total"]) == ["20000000000", "10B"]
    assert list(data["totals"]["total"]) == ["20000000000", "10B"]


def test_without_equity_there_is_one_cash_scenario():
    data = plan_offer(terms(base=D(100000))).to_dict()
    assert data["years"][0]["total"] == {"no equity": 100000}


def test_longer_vesting_extends_the_table_and_totals_stay_four_years():
    offer = terms(base=D(100000), units=D(600), prices=[("100", D(100))], vest_years=6)
    rows = year_rows(offer)
    assert len(rows) == 6 and sum(row.equity["100"] for row in rows) == D(60000)
    assert sum_rows(rows[:4])["equity"] == {"100": D(40000)}
    assert plan_offer(offer).to_dict()["totals"]["years"] == 4


def test_comparison_with_current_pay(binance_offer):
    offer = terms(base=D(152000), sign_on=D(22000), equity_percent=D("0.03"), valuations=[("10B", TEN_BILLION)])
    current = plan_offer(offer, current_base=D(140000), defaults=binance_offer).to_dict()["vs_current"]
    assert current["base_change"] == 12000 and current["base_change_percent"] == 8.6
    assert current["year_one_change"] == {"10B": 784000}
    assert current["four_year_change"] == {"10B": 3630000 - 560000}
    assert current["typical_current_base"]["low"] == 130000
    missing = plan_offer(offer, defaults=binance_offer).to_dict()["vs_current"]
    assert missing["current_base"] is None and "--current-base" in missing["note"]


def test_other_offers_side_by_side_and_in_the_chart():
    mine = terms(base=D(152000), equity_percent=D("0.03"), valuations=[("10B", TEN_BILLION)])
    other = terms(name="Other", base=D(170000), sign_on=D(5000))
    data = plan_offer(mine, others=[other], current_base=D(140000)).to_dict()
    assert [entry["name"] for entry in data["comparison"]] == ["this offer", "Other"]
    assert data["comparison"][1]["year_one"] == {"no equity": 175000}
    labels = [series["label"] for series in data["chart"]["series"]]
    assert labels == ["this offer at a valuation of $10B", "Other", "current base"]
    assert data["chart"]["series"][0]["values"] == [902000, 1804000, 2706000, 3608000]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base": D(-1)}, "negative amounts"),
        ({"base": D(1), "cliff_months": 60}, "60-month cliff is longer than the 4-year vesting period"),
        ({"base": D(1), "equity_percent": D(101), "valuations": [("1", D(1))]}, "over 100 %"),
        ({"base": D(1), "equity_percent": D(1)}, "needs both the percentage and at least one valuation"),
        ({"base": D(1), "valuations": [("1", D(1))]}, "needs both"),
        ({"base": D(1), "units": D(5)}, "needs both the number of units and a price"),
        ({"base": D(1), "equity_percent": D(1), "valuations": [("1", D(1))], "units": D(1), "prices": [("1", D(1))]}, "not both"),
        ({"base": D(1), "equity_percent": D(1), "valuations": [("1B", D(10**9)), ("1B", D(10**9))]}, "given twice"),
        ({"base": D(1), "vest_years": 0}, "from 1 to 10"),
        ({"base": D(1), "cliff_months": -1}, "0 or more"),
        ({"base": D(1), "frequency": "weekly"}, "monthly, quarterly or annual"),
    ],
)
def test_bad_offers_are_refused(kwargs, message):
    with pytest.raises(PlanningError, match=message):
        terms(**kwargs)


def test_missing_vesting_terms_without_profile_defaults_ask_the_user():
    with pytest.raises(PlanningError, match="give --vest-years"):
        make_offer_terms(base=D(1))


# Property tests ---------------------------------------------------------------------------

grants = st.decimals(min_value=0, max_value=10**9, places=2)
schedules = st.integers(1, 10).flatmap(
    lambda years: st.tuples(st.just(years), st.integers(0, years * 12), st.sampled_from(["monthly", "quarterly", "annual"]))
)


@given(grant=grants, schedule=schedules)
def test_vested_amounts_add_up_to_the_grant(grant, schedule):
    vesting = Vesting(*schedule)
    assert sum(vesting.by_year(grant, vesting.years)) == grant
    assert vesting.cumulative(grant, vesting.months) == grant


@given(grant=grants.filter(lambda g: g > 0), schedule=schedules)
def test_nothing_vests_before_the_cliff(grant, schedule):
    vesting = Vesting(*schedule)
    for month in range(vesting.cliff_months):
        assert vesting.cumulative(grant, month) == 0
    if vesting.cliff_months:
        assert vesting.cumulative(grant, vesting.cliff_months) == cents(grant * vesting.cliff_months / vesting.months)
    previous = D(0)
    for month in range(vesting.months + 1):
        current = vesting.cumulative(grant, month)
        assert current >= previous
        previous = current


def cumulative_totals(offer):
    """Total pay by the end of each year, per scenario: what "monotone" is asserted on."""
    rows = year_rows(offer, 10)
    running, totals = D(0), []
    for row in rows:
        running += next(iter(row.total.values()))
        totals.append(running)
    return totals


amounts = st.decimals(min_value=0, max_value=10**7, places=2)
inputs = st.fixed_dictionaries(
    {
        "base": amounts,
        "sign_on": amounts,
        "bonus_percent": st.decimals(min_value=0, max_value=100, places=2),
        "equity_percent": st.decimals(min_value=0, max_value=100, places=4),
        "valuation": st.decimals(min_value=0, max_value=10**11, places=0),
        "vest_years": st.integers(1, 10),
        "cliff_months": st.integers(0, 24),
        "frequency": st.sampled_from(["monthly", "quarterly", "annual"]),
    }
)


def build(values):
    return make_offer_terms(
        base=values["base"],
        sign_on=values["sign_on"],
        bonus_percent=values["bonus_percent"],
        equity_percent=values["equity_percent"],
        valuations=[("v", values["valuation"])],
        vest_years=values["vest_years"],
        cliff_months=min(values["cliff_months"], values["vest_years"] * 12),
        frequency=values["frequency"],
    )


def _dominates(higher, lower):
    return all(a >= b for a, b in zip(higher, lower))


@settings(max_examples=60, deadline=None)
@given(values=inputs, field=st.sampled_from(["base", "sign_on", "bonus_percent", "equity_percent", "valuation"]), factor=st.decimals(min_value=1, max_value=3, places=2))
def test_totals_rise_with_every_amount(values, field, factor):
    raised = dict(values)
    raised[field] = values[field] * factor
    if field in ("bonus_percent", "equity_percent"):
        raised[field] = min(raised[field], D(100))
    assert _dominates(cumulative_totals(build(raised)), cumulative_totals(build(values)))


@settings(max_examples=60, deadline=None)
@given(values=inputs, extra_cliff=st.integers(0, 24), extra_years=st.integers(0, 3))
def test_totals_fall_with_a_longer_cliff_or_vesting_period(values, extra_cliff, extra_years):
    longer = dict(values)
    longer["cliff_months"] = values["cliff_months"] + extra_cliff
    longer["vest_years"] = min(values["vest_years"] + extra_years, 10)
    assert _dominates(cumulative_totals(build(values)), cumulative_totals(build(longer)))


@settings(max_examples=60, deadline=None)
@given(values=inputs)
def test_coarser_frequency_never_vests_more(values):
    by_frequency = {}
    for frequency in ("monthly", "quarterly", "annual"):
        vesting = Vesting(values["vest_years"], min(values["cliff_months"], values["vest_years"] * 12), frequency)
        by_frequency[frequency] = [vesting.cumulative(D(1000), month) for month in range(vesting.months + 1)]
    assert _dominates(by_frequency["monthly"], by_frequency["quarterly"])
    assert _dominates(by_frequency["quarterly"], by_frequency["annual"])
    assert cumulative_totals(build({**values, "frequency": "monthly"})) == cumulative_totals(build({**values, "frequency": "annual"}))
