"""The planners' JSON twins: `GET /api/plan`, `GET /plan.ics` and `POST /api/offer` give what
`storybank plan --json`, `--ics` and `storybank offer --json` give; bad input is a 422 with a message."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from typer.testing import CliRunner

from storybank.cli.main import app as cli

PLAN_QUERY = [
    ("first_screen", "2026-03-02"),
    ("country", "US"),
    ("subdivision", "CA"),
    ("round", "2=2026-03-04"),
    ("round", "3=2026-03-09"),
    ("today", "2026-03-10"),
]
PLAN_FLAGS = [
    "--first-screen", "2026-03-02", "--country", "US", "--subdivision", "CA",
    "--round", "2=2026-03-04", "--round", "3=2026-03-09", "--today", "2026-03-10",
]


def run_cli(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


def events(ics: bytes) -> list[tuple[str, str, str]]:
    """(UID, summary, start) of every event: everything but the moment the file was made."""
    calendar = Calendar.from_ical(ics)
    return [(str(event["uid"]), str(event["summary"]), event["dtstart"].to_ical().decode()) for event in calendar.walk("VEVENT")]


def test_the_plan_api_gives_what_the_cli_prints(client):
    response = client.get("/api/plan", params=PLAN_QUERY)
    assert response.status_code == 200, response.text
    assert response.json() == json.loads(run_cli("plan", *PLAN_FLAGS, "--json").stdout)
    data = response.json()
    assert [round_["actual"] for round_ in data["rounds"]][:3] == ["2026-03-02", "2026-03-04", "2026-03-09"]
    assert data["business_days"]["subdivision"] == "CA"


def test_the_plan_api_defaults_to_today_and_the_active_profile(client):
    data = client.get("/api/plan").json()
    assert data["first_screen"] == data["today"]
    assert len(data["rounds"]) == 5 and data["rounds"][0]["actual"] is None
    assert data["sources"]["round_gap_business_days"].startswith("derived")


def test_the_calendar_file_parses_and_matches_the_cli(client, tmp_path):
    response = client.get("/plan.ics", params=PLAN_QUERY)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["content-disposition"] == 'attachment; filename="hiring-process-2026-03-02.ics"'
    path = tmp_path / "plan.ics"
    run_cli("plan", *PLAN_FLAGS, "--ics", str(path))
    assert events(response.content) == events(path.read_bytes())
    calendar = Calendar.from_ical(response.content)
    assert calendar["prodid"] and str(calendar["version"]) == "2.0"
    assert all(event.walk("VALARM") for event in calendar.walk("VEVENT"))


def test_the_calendar_file_takes_the_pages_round_fields_too(client):
    by_field = client.get("/plan.ics", params={"first_screen": "2026-03-02", "round_2": "2026-03-04", "today": "2026-03-03"})
    by_text = client.get("/plan.ics", params={"first_screen": "2026-03-02", "round": "2=2026-03-04", "today": "2026-03-03"})
    assert events(by_field.content) == events(by_text.content)


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"country": "XX"}, "country", "unknown country code 'XX'"),
        ({"country": "US", "subdivision": "ZZ"}, "subdivision", "unknown subdivision 'ZZ'"),
        ({"first_screen": "2026-13-01"}, "first_screen", "not a date"),
        ({"first_screen": "2026-03-02", "round": ["3=2026-03-04", "2=2026-03-06"]}, "round_3", "dates out of order"),
        ({"first_screen": "2026-03-10", "round": "2=2026-03-02"}, "round_2", "dates out of order"),
        ({"round": "two=2026-03-04"}, "rounds", "N=YYYY-MM-DD"),
        ({"round": "9=2026-03-04"}, "round_9", "round 9: no such round"),
        ({"round": ["2=2026-03-04", "2=2026-03-05"]}, "round_2", "given twice"),
        ({"today": "soon"}, "today", "not a date"),
    ],
)
def test_bad_plan_input_is_a_422_naming_the_field(client, params, field, fragment):
    for path in ("/api/plan", "/plan.ics"):
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, response.text)
    body = client.get("/api/plan", params=params).json()
    assert fragment in body["detail"]
    assert field in [error["field"] for error in body["errors"]]


def test_every_bad_plan_field_is_listed_at_once(client):
    body = client.get("/api/plan", params={"country": "XX", "first_screen": "2026-03-10", "round": "2=2026-03-02"}).json()
    assert {error["field"] for error in body["errors"]} == {"country", "round_2"}


@pytest.mark.parametrize(("profile", "fragment"), [("no-such-profile", "unknown profile"), ("../etc/passwd", "profile name")])
def test_a_bad_profile_is_a_422(client, profile, fragment):
    response = client.get("/api/plan", params={"profile": profile})
    assert response.status_code == 422
    assert fragment in response.json()["detail"]


OFFER_BODY = {
    "base": 152000,
    "sign_on": "22k",
    "equity_percent": 0.03,
    "valuations": ["10B", 20000000000],
    "current_base": 140000,
    "evidence": "I cut order-fill latency 31 % in six weeks",
}
OFFER_FLAGS = [
    "offer", "--base", "152000", "--sign-on", "22k", "--equity-percent", "0.03", "--valuation", "10B",
    "--valuation", "20000000000", "--current-base", "140000", "--evidence", "I cut order-fill latency 31 % in six weeks",
]
OTHERS = [{"name": "Acme", "base": "165k", "equity_percent": 0.02, "valuations": ["5B"], "frequency": "quarterly"}]


def test_the_offer_api_gives_what_the_cli_prints(client, tmp_path):
    compare = tmp_path / "others.json"
    compare.write_text(json.dumps(OTHERS), encoding="utf-8")
    response = client.post("/api/offer", json={**OFFER_BODY, "compare": OTHERS})
    assert response.status_code == 200, response.text
    assert response.json() == json.loads(run_cli(*OFFER_FLAGS, "--compare", str(compare), "--json").stdout)
    data = response.json()
    assert list(data["years"][0]["equity"]) == ["10B", "20000000000"]
    assert data["years"][0]["total"]["10B"] == 152000 + 22000 + 750000
    assert [entry["name"] for entry in data["comparison"]] == ["this offer", "Acme"]
    assert "I cut order-fill latency 31 % in six weeks" in data["script"]


def test_the_offer_api_takes_units_and_explicit_vesting(client):
    body = {"base": "150k", "bonus_percent": 10, "units": 3000, "price": 10, "vest_years": 3, "cliff_months": 0, "frequency": "annual"}
    data = client.post("/api/offer", json=body).json()
    assert [row["equity"]["10"] for row in data["years"]] == [10000, 10000, 10000, 0]
    assert data["years"][0]["bonus"] == 15000
    assert data["inputs"]["from_profile"] == []


def test_the_offer_api_never_invents_a_missing_figure(client):
    data = client.post("/api/offer", json={"base": 152000}).json()
    assert data["years"][0]["equity"] == {"no equity": 0}
    assert "[your strongest result" in data["script"]
    assert data["vs_current"]["current_base"] is None


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"base": -5}, "base", "negative amounts"),
        ({"base": "lots"}, "base", "not an amount"),
        ({"base": 1, "cliff_months": 60}, "cliff_months", "longer than the 4-year vesting period"),
        ({"base": 1, "equity_percent": 150, "valuations": ["1B"]}, "equity_percent", "over 100 %"),
        ({"base": 1, "equity_percent": 0.03}, "valuations", "at least one valuation"),
        ({"base": 1, "units": 10}, "price", "units"),
        ({"base": 1, "current_base": "-3"}, "current_base", "negative"),
        ({"base": 1, "valuations": ["1B", "1B"], "equity_percent": 1}, "valuations", "given twice"),
        ({"base": 1, "compare": [{"name": "A", "base": 1, "bsae": 1}]}, "compare", "offers.0.bsae: unknown field"),
        ({"base": 1, "compare": [{"name": "this offer", "base": 2}]}, "compare", "two offers are called"),
        ({"base": 1, "compare": "nope"}, "compare", "compare"),
        ({"base": 1, "frequency": "weekly"}, "frequency", "frequency"),
        ({"base": 1, "salary": 2}, "salary", "unknown field"),
        ({}, "base", "required"),
        ({"base": 1, "evidence": "x" * 1001}, "evidence", "evidence"),
    ],
)
def test_bad_offer_input_is_a_422_naming_the_field(client, body, field, fragment):
    response = client.post("/api/offer", json=body)
    assert response.status_code == 422, response.text
    data = response.json()
    assert fragment in data["detail"]
    assert field in [error["field"] for error in data.get("errors", [])]


def test_the_offer_api_refuses_malformed_json_and_other_content_types(client):
    malformed = client.post("/api/offer", content=b"{", headers={"content-type": "application/json"})
    assert malformed.status_code == 422 and "malformed JSON" in malformed.json()["detail"]
    assert client.post("/api/offer", content=b"base=1", headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 415


def test_the_planners_are_in_the_api_schema(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "get" in paths["/api/plan"] and "post" in paths["/api/offer"]
    names = [parameter["name"] for parameter in paths["/api/plan"]["get"]["parameters"]]
    assert {"first_screen", "country", "subdivision", "round", "profile"} <= set(names)


TEXTS = st.one_of(st.none(), st.text(max_size=20), st.sampled_from(["US", "gb", "CA", "2026-03-02", "2=2026-03-04", "0", "-1", "1e9"]))
AMOUNTS = st.one_of(st.none(), st.integers(-10**6, 10**18), st.floats(allow_nan=True), st.text(max_size=12), st.sampled_from(["152k", "10B", "-5", "1e400", "0.03%"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first_screen=TEXTS, country=TEXTS, subdivision=TEXTS, rounds=st.lists(TEXTS.filter(lambda text: text is not None), max_size=3))
def test_any_plan_query_is_answered_or_refused_never_a_500(client, first_screen, country, subdivision, rounds):
    params = [(name, value) for name, value in (("first_screen", first_screen), ("country", country), ("subdivision", subdivision)) if value is not None]
    params += [("round", text) for text in rounds]
    for path in ("/api/plan", "/plan"):
        response = client.get(path, params=params)
        assert response.status_code in (200, 422), (path, params, response.text[:300])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    base=AMOUNTS, sign_on=AMOUNTS, equity_percent=AMOUNTS, valuations=st.lists(AMOUNTS.filter(lambda value: value is not None), max_size=3),
    cliff_months=st.one_of(st.none(), st.integers(-5, 200)), vest_years=st.one_of(st.none(), st.integers(-1, 12)),
)
def test_any_offer_body_is_answered_or_refused_never_a_500(client, base, sign_on, equity_percent, valuations, cliff_months, vest_years):
    body = {"base": base, "sign_on": sign_on, "equity_percent": equity_percent, "valuations": valuations,
            "cliff_months": cliff_months, "vest_years": vest_years}
    response = client.post("/api/offer", content=json.dumps(body), headers={"content-type": "application/json"})
    assert response.status_code in (200, 422), (body, response.text[:300])
