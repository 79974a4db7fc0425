"""The planner pages without a browser: empty states, results, messages next to fields, escaping, CSRF."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

XSS = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
PLAN = "/plan?first_screen=2026-03-02&country=US&round_2=2026-03-04&today=2026-03-05"


class Controls(HTMLParser):
    """Every form control (id, name) and every label's `for`, and every script tag's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("input", "select", "textarea") and attributes.get("type") not in ("hidden", "submit"):
            self.controls.append(attributes)
        if tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        if tag == "script":
            self.scripts.append(attributes)


def controls_of(html: str) -> Controls:
    parser = Controls()
    parser.feed(html)
    return parser


def assert_every_control_is_labelled(html: str) -> None:
    parsed = controls_of(html)
    assert parsed.controls
    for control in parsed.controls:
        assert control.get("id") in parsed.label_targets, f"no label for {control}"


def error_next_to(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field_id}-error">(.*?)</p>', html, re.S)
    assert match, f"no message next to #{field_id}"
    described = rf'aria-describedby="[^"]*\b{field_id}-error\b[^"]*" aria-invalid="true"'
    assert re.search(described, html), f"no control points to the message of #{field_id} and is marked invalid"
    return match[1].lower()


def offer_form(token: str, **fields) -> dict:
    data = {"csrf_token": token, "base": "152000", "sign_on": "22000", "equity_percent": "0.03",
            "valuations": ["10B", "20B", ""], "vest_years": "4", "cliff_months": "12", "frequency": "monthly"}
    data.update(fields)
    return data


# The process timeline


def test_before_a_projection_the_page_explains_the_planner_and_the_figures(client):
    response = client.get("/plan")
    assert response.status_code == 200
    html = response.text
    assert "Plan the weeks after your first screen" in html
    assert f'value="{date.today().isoformat()}"' in html
    assert "reported by the guide — confirm with your recruiter" in html
    assert "derived from the guide" in html
    assert "21 ± 3 days" in html
    assert "/plan.ics" not in html
    assert_every_control_is_labelled(html)


def test_a_projection_shows_windows_chart_guide_tasks_and_the_calendar_link(client):
    html = client.get(PLAN).text
    assert "Tue 24 Mar 2026" in html  # the offer's expected date
    assert '<svg class="tl-chart tl-chart--wide"' in html and '<svg class="tl-chart tl-chart--compact"' in html
    assert '<title id="tl-title">' in html and '<title id="tl-title-compact">' in html
    assert "took place" in html and "Wed 4 Mar 2026" in html
    assert "The projection agrees with the guide" in html
    assert 'href="/plan.ics?first_screen=2026-03-02&amp;country=US&amp;round=2%3D2026-03-04&amp;today=2026-03-05"' in html
    assert 'href="/api/plan?first_screen=2026-03-02' in html
    assert "Rehearse your stories" in html
    assert "projected 5 Mar" in html  # the hint beside round 3's date field
    assert 'aria-current="page">Planners</a>' in html
    assert_every_control_is_labelled(html)


def test_the_page_says_when_the_projection_and_the_guide_disagree(client):
    html = client.get("/plan?first_screen=2026-03-02&round_5=2026-03-30&today=2026-03-31").text
    assert "The projection and the guide disagree" in html
    assert "not squeezed to fit" in html


def test_overdue_steps_are_flagged(client):
    html = client.get("/plan?first_screen=2026-01-05&today=2026-03-05").text
    assert "Round 2 is overdue" in html
    assert "Follow up:" in html and "Ask your recruiter where things stand" in html


@pytest.mark.parametrize(
    ("query", "field_id", "fragment"),
    [
        ("country=XX", "f-country", "unknown country code"),
        ("country=US&subdivision=ZZ", "f-subdivision", "unknown subdivision"),
        ("first_screen=2026-03-10&round_2=2026-03-02", "f-round_2", "dates out of order"),
        ("first_screen=yesterday", "f-first_screen", "not a date"),
    ],
)
def test_bad_plan_input_comes_back_with_the_message_next_to_the_field(client, query, field_id, fragment):
    response = client.get(f"/plan?{query}")
    assert response.status_code == 422
    assert fragment in error_next_to(response.text, field_id)
    assert "Check the field" in response.text


def test_a_bad_country_and_dates_out_of_order_are_reported_together(client):
    html = client.get("/plan?country=XX&first_screen=2026-03-10&round_3=2026-03-02").text
    error_next_to(html, "f-country")
    error_next_to(html, "f-round_3")


def test_user_text_on_the_plan_page_is_escaped(client):
    response = client.get("/plan", params={"country": XSS, "subdivision": XSS})
    assert response.status_code == 422
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;" in response.text


def test_pages_run_no_inline_script_and_send_the_policy(client, form_token):
    for response in (client.get("/plan"), client.get(PLAN), client.get("/offer"), client.post("/offer", data=offer_form(form_token))):
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert all(script.get("src") for script in controls_of(response.text).scripts)


# The offer planner


def test_the_offer_form_starts_from_the_profiles_figures_with_their_sources(client):
    html = client.get("/offer").text
    assert "Read an offer before you negotiate it" in html
    for field, value in (("base", "152000"), ("sign_on", "22000"), ("equity_percent", "0.03"), ("vest_years", "4"), ("cliff_months", "12")):
        assert re.search(rf'id="f-{field}" name="{field}" type="\w+" value="{value}"', html), field
    assert '<option value="monthly" selected>' in html
    assert "reported band $144,000–$160,000" in html
    assert 'class="source-tag source-tag--guide" title="reported by the guide — confirm with your recruiter"' in html
    assert 'class="source-tag source-tag--assumption"' in html
    assert 'name="csrf_token"' in html
    assert_every_control_is_labelled(html)


def test_an_offer_shows_years_totals_cliff_comparisons_chart_and_script(client, form_token):
    form = offer_form(form_token, current_base="140000", evidence="I cut order-fill latency 31 % in six weeks",
                      other1_name="Acme", other1_base="165k", other1_equity_percent="0.02", other1_valuation="5B",
                      compare="- name: Beta\n  base: 150000\n")
    response = client.post("/offer", data=form)
    assert response.status_code == 200, response.text
    html = response.text
    assert "$924,000" in html  # year one at 10B: base + sign-on + a quarter of the grant
    assert "$3,630,000" in html  # four years at 10B
    assert "Forfeited leaving before month 12" in html and "$3,000,000" in html
    assert "+$12,000" in html  # base against the current base
    assert re.search(r'<th scope="col" class="num">Acme</th>\s*<th scope="col" class="num">Beta</th>', html)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "I cut order-fill latency 31 % in six weeks" in html
    assert html.index("script-step--equity") < html.index("script-step--base") < html.index("script-step--sign_on")
    assert '<mark class="placeholder">[the grant you will ask for]</mark>' in html
    assert "&#34;valuations&#34;: [" in html or '"valuations": [' in html  # the JSON body for the same plan
    assert 'aria-current="page">Planners</a>' in html


def test_the_page_and_the_api_show_the_same_numbers(client, form_token):
    html = client.post("/offer", data=offer_form(form_token, current_base="140000")).text
    data = client.post("/api/offer", json={"base": "152000", "sign_on": "22000", "equity_percent": "0.03", "valuations": ["10B", "20B"],
                                           "vest_years": 4, "cliff_months": 12, "frequency": "monthly", "current_base": "140000"}).json()
    for key in ("10B", "20B"):
        assert f"${data['totals']['total'][key]:,}" in html


def test_missing_figures_stay_placeholders(client, form_token):
    html = client.post("/offer", data=offer_form(form_token, equity_percent="", valuations=["", "", ""], sign_on="")).text
    assert '<mark class="placeholder">[your strongest result' in html
    assert '<mark class="placeholder">[the sign-on you will ask for]</mark>' not in html
    assert "includes no equity" in html and "has no sign-on bonus" in html
    assert "Give your current base in the form" in html


@pytest.mark.parametrize(
    ("fields", "field_id", "fragment"),
    [
        ({"base": "-5"}, "f-base", "negative amounts"),
        ({"base": ""}, "f-base", "required"),
        ({"cliff_months": "60"}, "f-cliff_months", "longer than the 4-year vesting period"),
        ({"equity_percent": "150"}, "f-equity_percent", "over 100 %"),
        ({"valuations": ["", "", ""]}, "f-valuations", "at least one valuation"),
        ({"units": "100", "price": "2"}, "f-units", "not both"),
        ({"sign_on": "lots"}, "f-sign_on", "not an amount"),
        ({"current_base": "-1"}, "f-current_base", "negative"),
        ({"compare": "offers: [\n  - name: x\n"}, "f-compare", "malformed yaml at line 2"),
        ({"compare": "- name: this offer\n  base: 1\n"}, "f-compare", "two offers are called"),
        ({"other1_name": "Acme", "other1_base": "lots"}, "f-other1_base", "not an amount"),
        ({"other2_base": "100k", "other2_cliff_months": "99", "other2_vest_years": "2"}, "f-other2_cliff_months", "longer than"),
        ({"evidence": "x" * 1001}, "f-evidence", "the limit is 1,000"),
    ],
)
def test_bad_offer_input_comes_back_with_the_message_next_to_the_field(client, form_token, fields, field_id, fragment):
    response = client.post("/offer", data=offer_form(form_token, **fields))
    assert response.status_code == 422
    assert fragment.lower() in error_next_to(response.text, field_id)
    for name, value in fields.items():
        if isinstance(value, str) and value and len(value) < 100 and "\n" not in value:
            assert f'value="{value}"' in response.text, name  # nothing typed is lost


def test_every_bad_offer_field_is_marked_at_once(client, form_token):
    response = client.post("/offer", data=offer_form(form_token, base="-5", sign_on="lots", other1_base="x", compare="{"))
    assert response.status_code == 422
    for field_id in ("f-base", "f-sign_on", "f-other1_base", "f-compare"):
        error_next_to(response.text, field_id)


def test_user_text_on_the_offer_page_is_escaped(client, form_token):
    form = offer_form(form_token, evidence=XSS, other1_name=XSS, other1_base="100k", compare=f"- name: '{XSS} 2'\n  base: 1\n")
    response = client.post("/offer", data=form)
    assert response.status_code == 200, response.text
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;alert" in response.text


def test_offer_form_posts_need_the_csrf_token(client, form_token):
    assert client.post("/offer", data=offer_form("")).status_code == 403
    assert client.post("/offer", data=offer_form("forged")).status_code == 403
    assert client.post("/offer", data=offer_form(form_token)).status_code == 200
