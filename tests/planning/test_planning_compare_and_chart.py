"""The compare-file format, amount parsing, and the offer chart."""

from decimal import Decimal as D
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storybank.planning.chart import offer_chart_svg
from storybank.planning.compare import offers_from_data
from storybank.planning.errors import PlanningError
from storybank.planning.money import format_usd, parse_amount, parse_percent
from storybank.planning.offer import make_offer_terms, plan_offer
from storybank.rubric.loader import load_profile


@pytest.fixture(scope="module")
def binance():
    return load_profile("binance").offer


def test_compare_data_becomes_offer_terms(binance):
    data = {
        "offers": [
            {"name": "Acme", "base": "165k", "sign_on": 10000, "bonus_percent": 10, "equity_percent": 0.02, "valuations": ["5B", 8000000000], "frequency": "quarterly"},
            {"name": "Beta", "base": 150000, "units": 4000, "price": 25},
        ]
    }
    acme, beta = offers_from_data(data, "offers.yaml", binance)
    assert acme.base == D(165000) and acme.bonus == D(16500)
    assert [s.key for s in acme.scenarios] == ["5B", "8000000000"]
    assert [s.grant for s in acme.scenarios] == [D(1000000), D(1600000)]
    assert acme.vesting.frequency == "quarterly" and acme.vesting.years == 4
    assert beta.scenarios[0].grant == D(100000) and beta.scenarios[0].key == "25"


def test_a_bare_list_is_accepted(binance):
    assert len(offers_from_data([{"name": "Solo", "base": 1}], "x.json", binance)) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("text", "expected a mapping"),
        ({"offers": []}, "offers: List should have at least 1 item"),
        ({"offers": [{"name": "A"}]}, "offers.0.base: Field required"),
        ({"offers": [{"name": "A", "base": 1, "salary": 2}]}, "offers.0.salary: unknown field"),
        ({"offers": [{"name": "A", "base": "lots"}]}, "offers.0.base: 'lots' is not an amount"),
        ({"offers": [{"name": "A", "base": -5}]}, "negative amounts"),
        ({"offers": [{"name": "A", "base": 1, "cliff_months": 99}]}, "longer than"),
        ({"offers": [{"name": "A", "base": 1}, {"name": "A", "base": 2}]}, "appears twice"),
        ({"offers": [{"name": "A", "base": 1, "equity_percent": 120, "valuations": [1]}]}, "over 100 %"),
    ],
)
def test_malformed_compare_data_names_the_file_and_field(binance, data, message):
    with pytest.raises(PlanningError, match="^others.yaml: ") as caught:
        offers_from_data(data, "others.yaml", binance)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("152000", 152000), ("152,000", 152000), ("$152k", 152000), ("10B", 10**10), ("1.5e10", 15 * 10**9), ("2.5M", 2500000), ("0", 0)],
)
def test_amounts_in_common_notations(text, value):
    assert parse_amount(text, "--base") == D(value)


@pytest.mark.parametrize("text", ["-5", "abc", "1x", "", "nan", "inf", "1e400"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(PlanningError, match="^--base: "):
        parse_amount(text, "--base")


def test_percentages():
    assert parse_percent("0.03", "--equity-percent") == D("0.03")
    assert parse_percent("0.03%", "--equity-percent") == D("0.03")
    with pytest.raises(PlanningError, match="over 100 %"):
        parse_percent("100.5", "--equity-percent", maximum=D(100))


@given(st.decimals(min_value=0, max_value=10**12, places=2))
def test_formatted_amounts_parse_back(value):
    assert parse_amount(format_usd(value), "amount") == value


def test_chart_is_self_contained_escaped_svg():
    terms = make_offer_terms(base=D(152000), units=D(100), prices=[("10", D(10))], vest_years=4, cliff_months=12, frequency="monthly")
    other = make_offer_terms(name='<script>alert("x")</script> & Co', base=D(160000), vest_years=4, cliff_months=12, frequency="monthly")
    chart = plan_offer(terms, others=[other], current_base=D(140000)).chart
    svg = offer_chart_svg(chart)
    root = ElementTree.fromstring(svg)  # well-formed XML
    assert root.tag.endswith("svg")
    assert "<script" not in svg and "&lt;script&gt;" in svg and "&amp; Co" in svg
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert svg.count("<polyline") == 3


def test_chart_of_nothing_still_renders():
    ElementTree.fromstring(offer_chart_svg({"years": [], "series": []}))
