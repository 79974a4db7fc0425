"""The planners' pages and their JSON twins: the hiring-process timeline (with its calendar file)
and the offer planner.

The work is done by `storybank.planning`. These routes read query strings, forms and JSON
bodies with the same readers as `storybank plan` and `storybank offer`, and turn a
PlanningError into 422 with each message next to its field (or in the JSON `errors` list).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any, Literal, Union

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field

from storybank.planning.errors import PlanningError
from storybank.web.errors import error_response
from storybank.web.forms import PROFILE_NAME_PATTERN, check_profile_name
from storybank.web.planning_forms import (
    MAX_EVIDENCE_CHARS,
    PASTED,
    ROUND_FIELD,
    PlanForm,
    api_body,
    plain_number,
    plan_offer_form,
    prefill_offer,
    project,
    read_offer_form,
    slot_given,
    slots_as_compare,
)
from storybank.web.rendering import render, settings_of

if TYPE_CHECKING:
    from storybank.rubric.models import Profile

router = APIRouter()

# Which profile figure each row of the timeline comes from.
ROW_FIGURES = {
    "round": "round_gap_business_days",
    "decision": "decision_business_days",
    "offer": "paperwork_business_days",
    "guide": "first_screen_to_offer_days",
}
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


FREQUENCIES = ("monthly", "quarterly", "annual")


# The process timeline -------------------------------------------------------------------------


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
        ROUND_FIELD.match(key) for key in params
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
        facts.append(("bonus_percent", "Annual bonus", f"{plain_number(defaults.bonus_percent)} % of base"))
    if defaults.equity_percent is not None:
        facts.append(("equity_percent", "Equity", f"{plain_number(defaults.equity_percent)} % of the company"))
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
        "others_open": any(slot_given(slot) for slot in values["others"]) or bool(values["compare"].strip()),
        "view": planning_view,
        "current_path": "/plan",
    }


@router.get("/offer", include_in_schema=False)
def offer_page(request: Request) -> Response:
    """The offer form, filled from the active profile's offer defaults, with what the planner does."""
    profile = _profile(request)
    return render(request, "offer.html", _offer_context(profile, prefill_offer(profile)))


@router.post("/offer", include_in_schema=False)
async def offer_submit(request: Request) -> Response:
    """Plan the offer typed into the form; bad input comes back with the message next to the field."""
    from storybank.planning.chart import offer_chart_svg

    profile = _profile(request)
    values, errors = read_offer_form(await request.form())
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
        api_body=api_body(values, slots_as_compare(values) + pasted),
    )
    return render(request, "offer.html", context)
