"""`storybank plan` (the hiring-process timeline, ICS) and `storybank offer` (the offer planner)."""

from __future__ import annotations

import sys
from typing import List, Optional

import typer

FREQUENCIES = ("monthly", "quarterly", "annual")


def register(app: typer.Typer) -> None:
    """Add the `plan` and `offer` commands."""
    app.command("plan")(plan)
    app.command("offer")(offer)


def plan(
    first_screen: Optional[str] = typer.Option(None, "--first-screen", help="Date of the first screen (round 1), YYYY-MM-DD; default today."),
    country: Optional[str] = typer.Option(None, "--country", help="Skip this country's public holidays (ISO code, e.g. US, GB, SG)."),
    subdivision: Optional[str] = typer.Option(None, "--subdivision", help="State or region of --country (e.g. CA for US-CA)."),
    rounds: List[str] = typer.Option([], "--round", help="A round that took place: N=YYYY-MM-DD (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
    ics: Optional[str] = typer.Option(None, "--ics", help="Write the plan as an iCalendar file (- for stdout)."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Profile name or YAML path (default: the active profile)."),
    today: Optional[str] = typer.Option(None, "--today", hidden=True, help="Pretend today is this date (YYYY-MM-DD)."),
) -> None:
    """Project the interview rounds, the decision and the paperwork in business days."""
    from datetime import date, datetime, timezone

    from storybank.cli.common import fail
    from storybank.cli.planning_io import load_defaults, write_output
    from storybank.planning.errors import PlanningError
    from storybank.planning.ics import timeline_to_ics
    from storybank.planning.inputs import parse_date, parse_rounds, process_calendar
    from storybank.planning.timeline import project_timeline

    rubric = load_defaults(profile)
    if rubric.process is None:
        fail(f"profile {rubric.name!r} has no process section; add one or use --profile binance")
    try:
        timeline = project_timeline(
            rubric.process,
            today=parse_date(today, "--today") if today else date.today(),
            first_screen=parse_date(first_screen, "--first-screen") if first_screen else None,
            actual_rounds=parse_rounds(rounds, "--round"),
            calendar=process_calendar(rubric.process, country, subdivision),
            principles=rubric.principle_names(),
        )
    except PlanningError as error:
        fail(str(error))
    if ics is not None:
        write_output(ics, timeline_to_ics(timeline, stamp=datetime.now(timezone.utc)))
        if ics == "-":
            return
    if as_json:
        import json

        sys.stdout.write(json.dumps(timeline.to_dict(), ensure_ascii=False) + "\n")
    else:
        from storybank.cli.planning_output import print_timeline

        print_timeline(timeline, rubric.name, ics)


def offer(
    base: str = typer.Option(..., "--base", help="Base salary in USD (e.g. 152000 or 152k)."),
    sign_on: Optional[str] = typer.Option(None, "--sign-on", help="Sign-on bonus in USD, paid in year one."),
    bonus_percent: Optional[str] = typer.Option(None, "--bonus-percent", help="Annual target bonus, in percent of base."),
    equity_percent: Optional[str] = typer.Option(None, "--equity-percent", help="Equity in percent of the company (0.03 means 0.03 %)."),
    valuations: List[str] = typer.Option([], "--valuation", help="A company valuation in USD, one scenario each (repeatable; e.g. 10B)."),
    units: Optional[str] = typer.Option(None, "--units", help="Equity as a number of units (shares, RSUs or tokens)."),
    price: Optional[str] = typer.Option(None, "--price", help="Price of one unit in USD (with --units)."),
    vest_years: Optional[int] = typer.Option(None, "--vest-years", help="Vesting period in years (default: the profile's)."),
    cliff_months: Optional[int] = typer.Option(None, "--cliff-months", help="Cliff in months (default: the profile's)."),
    frequency: Optional[str] = typer.Option(None, "--frequency", help="Vesting after the cliff: monthly|quarterly|annual (default: the profile's)."),
    current_base: Optional[str] = typer.Option(None, "--current-base", help="Your current base salary in USD, to compare."),
    compare: Optional[str] = typer.Option(None, "--compare", help="JSON or YAML file of other offers to compare (see the README)."),
    evidence: Optional[str] = typer.Option(None, "--evidence", help="Your strongest result, quoted in the negotiation script."),
    as_json: bool = typer.Option(False, "--json", help="Print the offer plan as JSON."),
    script: bool = typer.Option(False, "--script", help="Print the negotiation script."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Profile name or YAML path (default: the active profile)."),
) -> None:
    """Year-by-year pay, vesting and the cliff, comparisons, and a negotiation script."""
    from storybank.cli.common import fail
    from storybank.cli.planning_io import load_compare_file, load_defaults
    from storybank.planning.errors import PlanningError
    from storybank.planning.inputs import CLI_FLAGS, OfferInputs, plan_offer_from_inputs

    if frequency is not None and frequency not in FREQUENCIES:
        fail(f"--frequency: expected monthly, quarterly or annual, not {frequency!r}")
    rubric = load_defaults(profile)
    inputs = OfferInputs(
        base=base,
        sign_on=sign_on,
        bonus_percent=bonus_percent,
        equity_percent=equity_percent,
        valuations=valuations,
        units=units,
        price=price,
        vest_years=vest_years,
        cliff_months=cliff_months,
        frequency=frequency,
        current_base=current_base,
        evidence=evidence,
    )
    try:
        others = load_compare_file(compare, rubric.offer) if compare else []
        result = plan_offer_from_inputs(inputs, defaults=rubric.offer, others=others, labels=CLI_FLAGS)
    except PlanningError as error:
        fail(str(error))
    if as_json:
        import json

        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        return
    from storybank.cli.planning_output import print_offer

    print_offer(result, rubric.name, with_script=script)
