"""Reading the planner pages' inputs: the timeline's query string and the offer's form.

What the user typed is kept as text (so a page can show it again next to its message) and read
with the planners' own readers (`storybank.planning.inputs`), the same as the CLI and the API.
Every problem is collected, so a form shows all its messages at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from storybank.planning.errors import PlanningError
from storybank.web.forms import MAX_TEXT_CHARS, form_text

if TYPE_CHECKING:
    from storybank.planning.inputs import OfferInputs
    from storybank.planning.offer import OfferPlan, OfferTerms
    from storybank.planning.timeline import Timeline
    from storybank.rubric.models import Profile

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
VALUATION_SLOTS = 3
OTHER_OFFER_SLOTS = 2
MAX_FIELD_CHARS = 200
MAX_EVIDENCE_CHARS = 1_000
PASTED = "Pasted offers"
MAIN_OFFER = "this offer"  # the name the planners give the offer being planned
ROUND_FIELD = re.compile(r"^round_(\d{1,2})$")


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
            match = ROUND_FIELD.match(key)
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
    from storybank.planning.inputs import Problems, parse_date, parse_round, process_calendar
    from storybank.planning.timeline import project_timeline

    process = profile.process
    if process is None:
        raise PlanningError(f"profile {profile.name!r} has no process section; choose a profile that has one")
    problems = Problems()
    attempt = problems.attempt
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
                problems.errors.setdefault(f"round_{number}", f"round {number} is given twice")
            actual[number] = day
    calendar = attempt("country", process_calendar, process, form.country, form.subdivision)
    if calendar is None and today is not None and not problems.errors.keys() - {"country", "subdivision"}:
        # The dates can still be checked against weekends alone, so every problem shows at once.
        attempt("form", project_timeline, process, today=today, first_screen=first, actual_rounds=actual)
    problems.raise_any()
    return project_timeline(
        process, today=today, first_screen=first, actual_rounds=actual, calendar=calendar, principles=profile.principle_names()
    )


def plain_number(value: float | int | None) -> str:
    """A profile figure as a user would type it: 152000, 0.03."""
    if value is None:
        return ""
    return f"{Decimal(str(value)).normalize():f}"


def prefill_offer(profile: "Profile") -> dict[str, Any]:
    """The offer form filled from the profile's offer defaults (only figures it really gives)."""
    defaults = profile.offer
    values: dict[str, Any] = {name: "" for name in OFFER_FIELDS}
    values.update(valuations=[""] * VALUATION_SLOTS, evidence="", compare="", others=[dict.fromkeys(OTHER_FIELDS, "") for _ in range(OTHER_OFFER_SLOTS)])
    if defaults is None:
        return values
    if defaults.base is not None and defaults.base.expected is not None:
        values["base"] = plain_number(defaults.base.expected)
    for name in ("sign_on", "bonus_percent", "equity_percent", "vest_years", "cliff_months"):
        values[name] = plain_number(getattr(defaults, name))
    values["frequency"] = defaults.frequency or ""
    return values


def _form_value(form: Any, name: str, limit: int, errors: dict[str, str], key: str | None = None) -> str:
    text = form_text(form.get(name))
    if len(text) > limit:
        errors[key or name] = f"{len(text):,} characters; the limit is {limit:,}"
        return ""
    return text


def read_offer_form(form: Any) -> tuple[dict[str, Any], dict[str, str]]:
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


def _inputs(values: Mapping[str, Any]) -> "OfferInputs":
    from storybank.planning.inputs import OfferInputs

    return OfferInputs(
        valuations=list(values["valuations"]),
        evidence=values["evidence"],
        **{name: values[name] for name in OFFER_FIELDS},
    )


def _slot_inputs(slot: Mapping[str, str]) -> "OfferInputs":
    from storybank.planning.inputs import OfferInputs

    fields = {name: slot[name] for name in OTHER_FIELDS if name not in ("name", "valuation")}
    return OfferInputs(valuations=[slot["valuation"]], **fields)


def slot_given(slot: Mapping[str, str]) -> bool:
    """Whether anything was typed into an other-offer slot."""
    return any(value.strip() for value in slot.values())


def _other_offers(profile: "Profile", values: Mapping[str, Any], errors: dict[str, str]) -> list["OfferTerms"]:
    """The offers to compare: the filled slots, then any pasted list; errors noted per field."""
    from storybank.planning.compare import offers_from_data
    from storybank.planning.inputs import parse_offers_text, read_offer

    others = []
    for index, slot in enumerate(values["others"], start=1):
        if not slot_given(slot):
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
    from storybank.planning.inputs import Problems, plan_offer_from_inputs, read_offer

    problems = Problems()
    problems.attempt("form", read_offer, _inputs(values), defaults=profile.offer, labels=PAGE_LABELS)
    # Next to the form's own fields, "this offer: " says nothing the page does not show already.
    problems.errors = {key: message.removeprefix(f"{MAIN_OFFER}: ") for key, message in problems.errors.items()}
    others = _other_offers(profile, values, problems.errors)
    problems.raise_any()
    return plan_offer_from_inputs(_inputs(values), defaults=profile.offer, others=others, labels=PAGE_LABELS)


def api_body(values: Mapping[str, Any], others: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON body that asks `POST /api/offer` for the same plan."""
    body = _inputs(values).to_dict()
    if others:
        body["compare"] = others
    return body


def slots_as_compare(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The filled other-offer slots in the compare-file format."""
    entries = []
    for index, slot in enumerate(values["others"], start=1):
        if not slot_given(slot):
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
