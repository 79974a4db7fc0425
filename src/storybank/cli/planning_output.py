"""Human output of `storybank plan` and `storybank offer` (tables; everything escaped)."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storybank.planning.money import format_usd
from storybank.planning.offer import OfferPlan, Scenario
from storybank.planning.timeline import Timeline, Window


def _day(value) -> str:
    return f"{value:%a %Y-%m-%d}"


def _window_cells(window: Window) -> list[str]:
    return [_day(window.earliest), f"[bold]{_day(window.expected)}[/]", _day(window.latest)]


def print_timeline(timeline: Timeline, profile: str, ics_path: str | None, console: Console | None = None) -> None:
    """Rounds, decision, paperwork and offer windows; the guide check; alerts; tasks."""
    console = console or Console(highlight=False)
    table = Table(title=f"Hiring process (profile {escape(profile)})", title_justify="left")
    for column in ("step", "earliest", "expected", "latest", "recorded"):
        table.add_column(column)
    for plan in timeline.rounds:
        recorded = _day(plan.actual) if plan.actual else ""
        table.add_row(f"{plan.n}. {escape(plan.name)}", *_window_cells(plan.window), recorded)
    table.add_row("decision", *_window_cells(timeline.decision), "")
    table.add_row("paperwork done / offer by", *_window_cells(timeline.offer_by), "")
    console.print(table)
    console.print(f"[dim]business days: {escape(timeline.calendar.describe())}[/]")
    for day, name in timeline.holidays():
        console.print(f"[dim]  skipped holiday {_day(day)}: {escape(name)}[/]")
    if timeline.guide is not None:
        guide = timeline.guide
        source = f" ({escape(guide.source)})" if guide.source else ""
        console.print(
            f"reported first screen → offer: {guide.days.expected} days, "
            f"{_day(guide.window.earliest)} to {_day(guide.window.latest)}{source}; projected: {guide.projected_days} days"
        )
        if guide.note:
            console.print(f"[bold yellow]note:[/] {escape(guide.note)}")
    for alert in timeline.alerts:
        console.print(f"[bold red]alert:[/] {escape(alert['message'])}")
    for field, label in timeline.sources.items():
        console.print(f"[dim]{escape(field)}: {escape(label)}[/]")
    upcoming = [task for task in timeline.tasks if task.status == "upcoming"]
    if upcoming:
        console.print("\n[bold]Preparation[/]")
        for task in upcoming:
            console.print(f"  {_day(task.due)}  {escape(task.title)}")
    if ics_path:
        console.print(f"\ncalendar written to {escape(ics_path)}")


def _money(value: Decimal) -> str:
    return format_usd(value)


def print_offer(result: OfferPlan, profile: str, *, with_script: bool, console: Console | None = None) -> None:
    """The year-by-year table, totals, the cliff, comparisons and (optionally) the script."""
    console = console or Console(highlight=False)
    for scenario in result.terms.valued_scenarios():
        console.print(_scenario_table(result, scenario, profile))
    console.print(f"vesting {escape(result.terms.vesting.describe())}")
    console.print(escape(result.cliff["note"]))
    current = result.vs_current
    if current["current_base"] is not None:
        percent = current["base_change_percent"]
        change = f" ({percent:+.1f} %)" if percent is not None else ""
        console.print(f"vs your current base {_money(current['current_base'])}: base {_signed(current['base_change'])}{change}")
    else:
        console.print(f"[dim]{escape(current['note'])}[/]")
    if len(result.comparison) > 1:
        _print_comparison(result, console)
    for note in result.assumptions:
        console.print(f"[dim]assumes: {escape(note)}[/]")
    if with_script:
        console.print("\n[bold]Negotiation script[/]")
        console.print(escape(result.script) if result.script else "[dim]this profile has no negotiation script[/]")


def _scenario_table(result: OfferPlan, scenario: Scenario, profile: str) -> Table:
    key = scenario.key
    title = f"{result.terms.name} {scenario.describe()}".strip()
    table = Table(title=f"{escape(title)} (profile {escape(profile)})", title_justify="left")
    for column in ("year", "base", "sign-on", "bonus", "equity", "total"):
        table.add_column(column, justify="right")
    for row in result.rows:
        cells = (row.base, row.sign_on, row.bonus, row.equity[key], row.total[key])
        table.add_row(str(row.year), *(_money(value) for value in cells))
    totals = result.totals
    cells = (totals["base"], totals["sign_on"], totals["bonus"], totals["equity"][key])
    table.add_row(f"{totals['years']} years", *(_money(value) for value in cells), f"[bold]{_money(totals['total'][key])}[/]")
    return table


def _signed(value: Decimal) -> str:
    return ("+" if value >= 0 else "−") + _money(abs(value))


def _print_comparison(result: OfferPlan, console: Console) -> None:
    table = Table(title="Offers side by side", title_justify="left")
    for column in ("offer", "equity valued", "grant", "year one", "four years"):
        table.add_column(column, justify="left" if column in ("offer", "equity valued") else "right")
    for entry in result.comparison:
        for key, grant in entry["equity_grant"].items():
            table.add_row(
                escape(entry["name"]),
                escape(entry["scenario_labels"][key]),
                _money(grant),
                _money(entry["year_one"][key]),
                _money(entry["four_year"][key]),
            )
    console.print(table)
    for entry in result.comparison:
        bonus = f", bonus {entry['bonus_percent']:g} %" if entry["bonus_percent"] is not None else ""
        console.print(
            f"[dim]{escape(entry['name'])}: base {_money(entry['base'])}, sign-on {_money(entry['sign_on'])}{bonus}, "
            f"equity {escape(entry['equity'] or 'none')}, vesting {escape(entry['vesting'])}[/]"
        )
