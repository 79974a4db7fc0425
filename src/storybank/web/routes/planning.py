"""The planners' pages and their JSON twins: the hiring-process timeline (with its calendar file)
and the offer planner.

The work is done by `storybank.planning`. These routes read query strings, forms and JSON
bodies with the same readers as `storybank plan` and `storybank offer`, and turn a
PlanningError into 422 with each message next to its field (or in the JSON `errors` list).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Union
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from storybank.planning.errors import PlanningError
from storybank.web.errors import error_response
from storybank.web.forms import MAX_TEXT_CHARS, PROFILE_NAME_PATTERN, check_profile_name, form_text
from storybank.web.rendering import render, settings_of

if TYPE_CHECKING:
    from storybank.planning.offer import OfferPlan, OfferTerms
    from storybank.planning.timeline import Timeline
    from storybank.rubric.models import Profile

router = APIRouter()

# Which profile figure each row of the timeline comes from.
ROW_FIGURES = {
    "round": "round_gap_business_days",
    "decision": "decision_business_days",
    "offer": "paperwork_business_days",
    "guide": "first_screen_to_offer_days",
}
# How the offer form's fields are called in messages shown next to them.
PAGE_LABELS = {
    "base": "Base salary",
    "sign_on": "Sign-on bonus",
    "bonus_percent": "Annual bonus",
    "equity_percent": "Equity",
    "valuations": "Valuation",
    "units": "Units",
    "price": "Price per unit",
    "vest_years": "Vesting years",
    "cliff_months": "Cliff",
    "frequency": "Frequency",
    "current_base": "Current base",
}
OFFER_FIELDS = ("base", "sign_on", "bonus_percent", "equity_percent", "units", "price", "vest_years", "cliff_months", "frequency", "current_base")
OTHER_FIELDS = ("name", "base", "sign_on", "bonus_percent", "equity_percent", "valuation", "units", "price", "vest_years", "cliff_months", "frequency")
FREQUENCIES = ("monthly", "quarterly", "annual")
VALUATION_SLOTS = 3
OTHER_OFFER_SLOTS = 2
MAX_FIELD_CHARS = 200
MAX_EVIDENCE_CHARS = 1_000
PASTED = "Pasted offers"
_ROUND_FIELD = re.compile(r"^round_(\d{1,2})$")


def _profile(request: Request, name: str | None = None) -> "Profile":
    """The named profile (a name, never a path), else the active one; ProfileError becomes 422."""
    from storybank.rubric.loader import load_profile

    return load_profile(check_profile_name(name) or settings_of(request).active_profile())


def _planning_error(request: Request, error: PlanningError) -> Response:
    """422 with the message; the API also lists every faulty field."""
    errors = [{"field": key, "message": message} for key, message in error.errors.items()]
    return error_response(request, 422, str(error), errors or None)


def _source_tags(labels_of: Any, figures: Mapping[str, str]) -> dict[str, str]:
    """Short source tags (the profile's label keys, e.g. `guide`) for each row kind."""
    return {kind: labels_of.sources[figure] for kind, figure in figures.items() if figure in labels_of.sources}


def _used_labels(section: Any) -> dict[str, str]:
    """The source labels a profile section really uses (tag → text), for the legend."""
    if section is None:
        return {}
    used = set(section.sources.values())
    return {tag: text for tag, text in section.labels.items() if tag in used}


# The process timeline -------------------------------------------------------------------------


@dataclass
class PlanForm:
    """The timeline's inputs as typed (query string), before reading."""

    first_screen: str = ""
    country: str = ""
    subdivision: str = ""
    round_dates: dict[int, str] = field(default_factory=dict)  # from the page's round_N fields
    round_texts: list[str] = field(default_factory=list)  # N=YYYY-MM-DD, as the API takes them
    today: str = ""

    @classmethod
    def from_query(cls, params: Any) -> "PlanForm":
        """Read `first_screen`, `country`, `subdivision`, `round_N`, `round` (repeated) and `today`."""
        form = cls(
            first_screen=params.get("first_screen", "").strip(),
            country=params.get("country", "").strip(),
            subdivision=params.get("subdivision", "").strip(),
            round_texts=[text for text in params.getlist("round") if text.strip()],
            today=params.get("today", "").strip(),
        )
        for key, value in params.items():
            match = _ROUND_FIELD.match(key)
            if match and value.strip():
                form.round_dates[int(match[1])] = value.strip()
        return form

    def query(self) -> str:
        """The inputs as a canonical query string (rounds as `round=N=DATE`), for links."""
        pairs = [(name, getattr(self, name)) for name in ("first_screen", "country", "subdivision")]
        pairs += [("round", f"{number}={text}") for number, text in sorted(self.round_dates.items())]
        pairs += [("round", text) for text in self.round_texts]
        if self.today:
            pairs.append(("today", self.today))
        return urlencode([(key, value) for key, value in pairs if value])


def project(profile: "Profile", form: PlanForm) -> "Timeline":
    """The timeline for these inputs; PlanningError lists every faulty field."""
    from storybank.planning.inputs import parse_date, parse_round, process_calendar
    from storybank.planning.timeline import project_timeline

    process = profile.process
    if process is None:
        raise PlanningError(f"profile {profile.name!r} has no process section; choose a profile that has one")
    errors: dict[str, str] = {}

    def attempt(key: str, reader, *args, **kwargs):
        try:
            return reader(*args, **kwargs)
        except PlanningError as error:
            errors.setdefault(error.field or key, str(error))
            return None

    today = attempt("today", parse_date, form.today, "today", field="today") if form.today else date.today()
    first = attempt("first_screen", parse_date, form.first_screen, "First screen", field="first_screen") if form.first_screen else None
    readings = [
        (number, attempt(f"round_{number}", parse_date, text, f"Round {number}", field=f"round_{number}"))
        for number, text in sorted(form.round_dates.items())
    ]
    readings += [attempt("rounds", parse_round, text, "round") or (None, None) for text in form.round_texts]
    actual: dict[int, date] = {}
    for number, day in readings:
        if number is not None and day is not None:
            if number in actual:
                errors.setdefault(f"round_{number}", f"round {number} is given twice")
            actual[number] = day
    calendar = attempt("country", process_calendar, process, form.country, form.subdivision)
    if calendar is None and today is not None and not errors.keys() - {"country", "subdivision"}:
        # The dates can still be checked against weekends alone, so every problem shows at once.
        attempt("form", project_timeline, process, today=today, first_screen=first, actual_rounds=actual)
    if errors:
        first_key = next(iter(errors))
        raise PlanningError(errors[first_key], field=first_key, errors=errors)
    return project_timeline(
        process, today=today, first_screen=first, actual_rounds=actual, calendar=calendar, principles=profile.principle_names()
    )


@router.get("/api/plan", tags=["planners"], summary="The hiring-process timeline")
def plan_api(
    request: Request,
    first_screen: str | None = Query(None, description="Date of the first screen (round 1), YYYY-MM-DD; default today."),
    country: str | None = Query(None, description="Skip this country's public holidays (ISO code, e.g. US, GB, SG)."),
    subdivision: str | None = Query(None, description="State or region of the country (e.g. CA for US-CA)."),
    rounds: list[str] = Query([], alias="round", description="A round that took place: N=YYYY-MM-DD (repeatable)."),
    profile: str | None = Query(None, description="Profile name (default: the active profile)."),
    today: str | None = Query(None, description="Pretend today is this date (YYYY-MM-DD)."),
) -> Any:
    """The same object as `storybank plan --json`: rounds, decision, paperwork and offer-by windows,
    tasks, the guide's span beside the projection, alerts, business days and sources."""
    form = PlanForm(first_screen or "", country or "", subdivision or "", {}, [text for text in rounds if text.strip()], today or "")
    try:
        return project(_profile(request, profile), form).to_dict()
    except PlanningError as error:
        return _planning_error(request, error)


@router.get("/plan.ics", include_in_schema=False)
def plan_calendar(request: Request) -> Response:
    """The timeline as an iCalendar file to import into a calendar app (same query as `/api/plan`)."""
    from storybank.planning.ics import timeline_to_ics

    try:
        timeline = project(_profile(request, request.query_params.get("profile")), PlanForm.from_query(request.query_params))
    except PlanningError as error:
        return _planning_error(request, error)
    filename = f"hiring-process-{timeline.first_screen.isoformat()}.ics"
    return Response(
        timeline_to_ics(timeline, stamp=datetime.now(timezone.utc)),
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


def _process_facts(profile: "Profile") -> list[dict[str, str]]:
    """The profile's process figures in words, with their sources, for the page before a projection."""
    from storybank.planning.timeline import describe_days

    process = profile.process
    if process is None:
        return []
    facts = []
    if process.rounds is not None:
        facts.append(("rounds", "Interview rounds", str(process.rounds)))
    for name, label, after in (
        ("round_gap_business_days", "Between rounds", ""),
        ("decision_business_days", "Decision", " after the final round"),
        ("paperwork_business_days", "Offer paperwork", " after the decision"),
    ):
        days = getattr(process, name)
        if days is not None:
            text = f"{days.low}–{days.high} business days (about {days.expected})" if days.low != days.high else f"{days.low} business days"
            facts.append((name, label, text + after))
    if process.first_screen_to_offer_days is not None:
        facts.append(("first_screen_to_offer_days", "First screen to offer", describe_days(process.first_screen_to_offer_days)))
    return [{"label": label, "value": value, "tag": process.sources.get(name, ""), "source": process.source_of(name) or ""} for name, label, value in facts]


def _plan_context(profile: "Profile", form: PlanForm, submitted: bool) -> dict[str, Any]:
    from storybank.web import planning_view

    process = profile.process
    rounds = process.rounds if process and process.rounds else 0
    names = process.round_names if process else []
    return {
        "form": form,
        "submitted": submitted,
        "countries": planning_view.countries(),
        "round_fields": [
            {"n": number, "name": names[number - 1] if number <= len(names) and names[number - 1] else f"round {number}"}
            for number in range(2, rounds + 1)
        ],
        "facts": _process_facts(profile),
        "labels": _used_labels(process),
        "profile_name": profile.name,
        "errors": {},
        "timeline": None,
        "json_twin": "/api/plan",
        "view": planning_view,
    }


@router.get("/plan", include_in_schema=False)
def plan_page(request: Request) -> Response:
    """The timeline form and, once submitted, the projection, its chart, tasks and calendar file."""
    from storybank.planning.timeline import describe_days
    from storybank.web.planning_view import timeline_chart

    profile = _profile(request)
    params = request.query_params
    submitted = any(key in params for key in ("first_screen", "country", "subdivision", "round")) or any(
        _ROUND_FIELD.match(key) for key in params
    )
    form = PlanForm.from_query(params)
    if not submitted and profile.process is not None:
        form.first_screen = date.today().isoformat()
        form.country = profile.process.country or ""
        form.subdivision = profile.process.subdivision or ""
    context = _plan_context(profile, form, submitted)
    if not submitted:
        return render(request, "plan.html", context)
    try:
        timeline = project(profile, form)
    except PlanningError as error:
        context["errors"] = error.errors or {"form": str(error)}
        return render(request, "plan.html", context, status_code=422)
    query = form.query()
    sources = _source_tags(profile.process, ROW_FIGURES)
    context.update(
        timeline=timeline.to_dict(),
        guide_span=describe_days(timeline.guide.days) if timeline.guide else "",
        chart=timeline_chart(timeline, sources),
        compact_chart=timeline_chart(timeline, sources, compact=True),
        row_sources=sources,
        json_twin=f"/api/plan?{query}" if query else "/api/plan",
        ics_url=f"/plan.ics?{query}" if query else "/plan.ics",
    )
    return render(request, "plan.html", context)


# The offer planner -----------------------------------------------------------------------------

Amount = Union[int, float, str]


class OfferRequest(BaseModel):
    """The offer planner's inputs, named as `storybank offer`'s flags (amounts may be text: "152k")."""

    model_config = ConfigDict(extra="forbid")

    base: Amount
    sign_on: Amount | None = None
    bonus_percent: Amount | None = Field(None, description="Annual target bonus, in percent of base.")
    equity_percent: Amount | None = Field(None, description="Percent of the company (0.03 means 0.03 %).")
    valuations: list[Amount] = Field(default_factory=list, max_length=10, description="One scenario per valuation.")
    units: Amount | None = None
    price: Amount | None = None
    vest_years: int | None = None
    cliff_months: int | None = None
    frequency: Literal["monthly", "quarterly", "annual"] | None = None
    current_base: Amount | None = None
    compare: Any = Field(None, description="Other offers: a list (or `{\"offers\": [...]}`) in the compare-file format.")
    evidence: str | None = Field(None, max_length=MAX_EVIDENCE_CHARS, description="Your strongest result, quoted in the script.")
    profile: str | None = Field(None, pattern=PROFILE_NAME_PATTERN)


@router.post("/api/offer", tags=["planners"], summary="The offer planner")
def offer_api(body: OfferRequest, request: Request) -> Any:
    """The same object as `storybank offer --json`: years, totals, cliff, vs_current, comparison,
    chart, reference, assumptions, inputs, script and script_steps."""
    from storybank.planning.compare import offers_from_data
    from storybank.planning.inputs import JSON_FIELDS, OfferInputs, plan_offer_from_inputs

    profile = _profile(request, body.profile)
    values = body.model_dump(exclude={"compare", "profile"})
    try:
        others = offers_from_data(body.compare, "compare", profile.offer) if body.compare is not None else []
    except PlanningError as error:
        return _planning_error(request, PlanningError(str(error), field="compare"))
    try:
        result = plan_offer_from_inputs(OfferInputs(**values), defaults=profile.offer, others=others, labels=JSON_FIELDS)
    except PlanningError as error:
        return _planning_error(request, error)
    return result.to_dict()


def _plain_number(value: float | int | None) -> str:
    """A profile figure as a user would type it: 152000, 0.03."""
    if value is None:
        return ""
    return f"{Decimal(str(value)).normalize():f}"


def _prefill(profile: "Profile") -> dict[str, Any]:
    """The offer form filled from the profile's offer defaults (only figures it really gives)."""
    defaults = profile.offer
    values: dict[str, Any] = {name: "" for name in OFFER_FIELDS}
    values.update(valuations=[""] * VALUATION_SLOTS, evidence="", compare="", others=[dict.fromkeys(OTHER_FIELDS, "") for _ in range(OTHER_OFFER_SLOTS)])
    if defaults is None:
        return values
    if defaults.base is not None and defaults.base.expected is not None:
        values["base"] = _plain_number(defaults.base.expected)
    for name in ("sign_on", "bonus_percent", "equity_percent", "vest_years", "cliff_months"):
        values[name] = _plain_number(getattr(defaults, name))
    values["frequency"] = defaults.frequency or ""
    return values


def _form_value(form: Any, name: str, limit: int, errors: dict[str, str], key: str | None = None) -> str:
    text = form_text(form.get(name))
    if len(text) > limit:
        errors[key or name] = f"{len(text):,} characters; the limit is {limit:,}"
        return ""
    return text


def _read_offer_form(form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The offer form's values as typed, and the fields that are too long to read."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {name: _form_value(form, name, MAX_FIELD_CHARS, errors) for name in OFFER_FIELDS}
    valuations = [form_text(value) for value in form.getlist("valuations")][:VALUATION_SLOTS]
    values["valuations"] = [text[:MAX_FIELD_CHARS] for text in valuations] + [""] * (VALUATION_SLOTS - len(valuations))
    values["evidence"] = _form_value(form, "evidence", MAX_EVIDENCE_CHARS, errors)
    values["compare"] = _form_value(form, "compare", MAX_TEXT_CHARS, errors)
    values["others"] = [
        {name: _form_value(form, f"other{index}_{name}", MAX_FIELD_CHARS, errors) for name in OTHER_FIELDS}
        for index in range(1, OTHER_OFFER_SLOTS + 1)
    ]
    return values, errors


def _inputs(values: Mapping[str, Any]):
    from storybank.planning.inputs import OfferInputs

    return OfferInputs(
        valuations=list(values["valuations"]),
        evidence=values["evidence"],
        **{name: values[name] for name in OFFER_FIELDS},
    )


def _slot_inputs(slot: Mapping[str, str]):
    from storybank.planning.inputs import OfferInputs

    fields = {name: slot[name] for name in OTHER_FIELDS if name not in ("name", "valuation")}
    return OfferInputs(valuations=[slot["valuation"]], **fields)


def _slot_given(slot: Mapping[str, str]) -> bool:
    return any(value.strip() for value in slot.values())


def _other_offers(profile: "Profile", values: Mapping[str, Any], errors: dict[str, str]) -> list["OfferTerms"]:
    """The offers to compare: the filled slots, then any pasted list; errors noted per field."""
    from storybank.planning.compare import offers_from_data
    from storybank.planning.inputs import parse_offers_text, read_offer

    others = []
    for index, slot in enumerate(values["others"], start=1):
        if not _slot_given(slot):
            continue
        name = slot["name"].strip() or f"Other offer {index}"
        try:
            others.append(read_offer(_slot_inputs(slot), defaults=profile.offer, labels=PAGE_LABELS, name=name).terms)
        except PlanningError as error:
            for key, message in (error.errors or {"base": str(error)}).items():
                errors.setdefault(f"other{index}_{'valuation' if key == 'valuations' else key}", message)
    if values["compare"].strip():
        try:
            others.extend(offers_from_data(parse_offers_text(values["compare"], PASTED), PASTED, profile.offer))
        except PlanningError as error:
            errors.setdefault("compare", str(error))
    return others


def plan_offer_form(profile: "Profile", values: Mapping[str, Any]) -> "OfferPlan":
    """Plan the offer typed into the page; PlanningError lists every faulty field."""
    from storybank.planning.inputs import plan_offer_from_inputs, read_offer

    errors: dict[str, str] = {}
    try:
        read_offer(_inputs(values), defaults=profile.offer, labels=PAGE_LABELS)
    except PlanningError as error:
        errors.update(error.errors or {"form": str(error)})
    others = _other_offers(profile, values, errors)
    if errors:
        first_key = next(iter(errors))
        raise PlanningError(errors[first_key], field=first_key, errors=errors)
    return plan_offer_from_inputs(_inputs(values), defaults=profile.offer, others=others, labels=PAGE_LABELS)


def _api_body(values: Mapping[str, Any], others: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON body that asks `POST /api/offer` for the same plan."""
    body = _inputs(values).to_dict()
    if others:
        body["compare"] = others
    return body


def _slots_as_compare(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    entries = []
    for index, slot in enumerate(values["others"], start=1):
        if not _slot_given(slot):
            continue
        entry: dict[str, Any] = {"name": slot["name"].strip() or f"Other offer {index}"}
        for name in OTHER_FIELDS[1:]:
            text = slot[name].strip()
            if text:
                if name == "valuation":
                    entry["valuations"] = [text]
                else:
                    entry[name] = int(text) if name in ("vest_years", "cliff_months") and text.isdigit() else text
        entries.append(entry)
    return entries


LEVER_WORDS = {"equity": "equity", "base": "base", "sign_on": "sign-on", "bonus": "bonus"}


def _offer_facts(profile: "Profile") -> list[dict[str, str]]:
    """The profile's offer figures in words, with their sources, for the page before a plan."""
    from storybank.web.planning_view import usd

    defaults = profile.offer
    if defaults is None:
        return []
    facts = []
    if defaults.base is not None:
        band = defaults.base
        about = f" (about {usd(band.expected)})" if band.expected is not None else ""
        facts.append(("base", "Base salary", f"{usd(band.low)}–{usd(band.high)}{about}"))
    if defaults.sign_on is not None:
        facts.append(("sign_on", "Sign-on bonus", usd(defaults.sign_on)))
    if defaults.bonus_percent is not None:
        facts.append(("bonus_percent", "Annual bonus", f"{_plain_number(defaults.bonus_percent)} % of base"))
    if defaults.equity_percent is not None:
        facts.append(("equity_percent", "Equity", f"{_plain_number(defaults.equity_percent)} % of the company"))
    if defaults.vest_years is not None:
        facts.append(("vest_years", "Vesting", f"{defaults.vest_years} years"))
    if defaults.cliff_months is not None:
        facts.append(("cliff_months", "Cliff", f"{defaults.cliff_months} months"))
    if defaults.frequency is not None:
        facts.append(("frequency", "After the cliff", defaults.frequency))
    if defaults.typical_current_base is not None:
        typical = defaults.typical_current_base
        facts.append(("typical_current_base", "Typical current base", f"{usd(typical.low)}–{usd(typical.high)}"))
    if defaults.negotiation_order:
        facts.append(("negotiation_order", "Negotiate", ", then ".join(LEVER_WORDS[lever] for lever in defaults.negotiation_order)))
    return [{"label": label, "value": value, "tag": defaults.sources.get(name, ""), "source": defaults.source_of(name) or ""} for name, label, value in facts]


def _offer_context(profile: "Profile", values: dict[str, Any]) -> dict[str, Any]:
    from storybank.planning.offer import reference_figures
    from storybank.web import planning_view

    defaults = profile.offer
    return {
        "values": values,
        "errors": {},
        "result": None,
        "reference": reference_figures(defaults),
        "labels": _used_labels(defaults),
        "source_tags": dict(defaults.sources) if defaults else {},
        "frequencies": FREQUENCIES,
        "profile_name": profile.name,
        "facts": _offer_facts(profile),
        "others_open": any(_slot_given(slot) for slot in values["others"]) or bool(values["compare"].strip()),
        "view": planning_view,
        "current_path": "/plan",
    }


@router.get("/offer", include_in_schema=False)
def offer_page(request: Request) -> Response:
    """The offer form, filled from the active profile's offer defaults, with what the planner does."""
    profile = _profile(request)
    return render(request, "offer.html", _offer_context(profile, _prefill(profile)))


@router.post("/offer", include_in_schema=False)
async def offer_submit(request: Request) -> Response:
    """Plan the offer typed into the form; bad input comes back with the message next to the field."""
    from storybank.planning.chart import offer_chart_svg

    profile = _profile(request)
    values, errors = _read_offer_form(await request.form())
    context = _offer_context(profile, values)
    try:
        if errors:
            raise PlanningError(next(iter(errors.values())), errors=errors)
        plan = plan_offer_form(profile, values)
    except PlanningError as error:
        context["errors"] = error.errors or {"form": str(error)}
        context["others_open"] = context["others_open"] or any(key.startswith(("other", "compare")) for key in context["errors"])
        return render(request, "offer.html", context, status_code=422)
    result = plan.to_dict()
    pasted = []
    if values["compare"].strip():
        from storybank.planning.inputs import parse_offers_text

        data = parse_offers_text(values["compare"], PASTED)
        pasted = data.get("offers", []) if isinstance(data, dict) else list(data)
    context.update(
        result=result,
        # offer_chart_svg escapes every text it draws and holds no script, so it can be inlined;
        # phones get a narrower drawing so its text stays readable.
        chart_svg=Markup(offer_chart_svg(result["chart"])),
        narrow_chart_svg=Markup(offer_chart_svg(result["chart"], width=360, height=300)),
        scenario_labels=result["comparison"][0]["scenario_labels"],
        api_body=_api_body(values, _slots_as_compare(values) + pasted),
    )
    return render(request, "offer.html", context)
