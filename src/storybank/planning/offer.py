"""The offer planner: vesting, a year-by-year table, totals, the cliff, and comparisons.

All money is exact (Decimal, rounded to the cent). Equity is valued per scenario: a
percentage of the company at each valuation the user gives, or units at a price. Vested
amounts are rounded cumulatively, so a grant's yearly amounts always add up to the grant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from storybank.planning.errors import PlanningError
from storybank.planning.models import OfferDefaults
from storybank.planning.money import cents, format_compact_usd, format_percent, format_usd, to_number

FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
COMPARISON_YEARS = 4
NO_EQUITY = "no equity"
HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Scenario:
    """One way to value the grant: `key` is the valuation (or unit price) exactly as given."""

    key: str
    grant: Decimal
    valuation: Decimal | None = None
    price: Decimal | None = None

    def describe(self) -> str:
        """"at a valuation of $10B" or "at $12.50 a unit"."""
        if self.valuation is not None:
            return f"at a valuation of {format_compact_usd(self.valuation)}"
        if self.price is not None:
            return f"at {format_usd(self.price)} a unit"
        return ""


@dataclass(frozen=True)
class Vesting:
    """A vesting schedule: total years, a cliff in months, then a steady frequency."""

    years: int
    cliff_months: int
    frequency: str

    @property
    def months(self) -> int:
        return self.years * 12

    def events(self) -> list[int]:
        """Months at which shares vest: the cliff (catching up), then each period end after it.

        Periods are counted from the start date, as vesting schedules usually are, so every
        year end is a vesting date and the yearly amounts depend only on the years and the cliff.
        """
        step = FREQUENCY_MONTHS[self.frequency]
        months = {month for month in range(step, self.months + 1, step) if month > self.cliff_months}
        months.add(self.months)
        if self.cliff_months:
            months.add(self.cliff_months)
        return sorted(months)

    def vested_months(self, month: int) -> int:
        """Months' worth of the grant vested by the end of `month` (0 before the first event)."""
        return max((event for event in self.events() if event <= month), default=0)

    def cumulative(self, grant: Decimal, month: int) -> Decimal:
        """Value vested by the end of `month`, rounded to the cent."""
        return cents(grant * self.vested_months(month) / self.months)

    def by_year(self, grant: Decimal, years: int) -> list[Decimal]:
        """Value vesting in each of the first `years` years (adds up to the grant once fully vested)."""
        totals = [self.cumulative(grant, 12 * year) for year in range(years + 1)]
        return [later - earlier for earlier, later in zip(totals, totals[1:])]

    def describe(self) -> str:
        """"over 4 years with a 12-month cliff, then monthly"."""
        cliff = f"a {self.cliff_months}-month cliff" if self.cliff_months else "no cliff"
        unit = "year" if self.years == 1 else "years"
        return f"over {self.years} {unit} with {cliff}, then {self.frequency}"


@dataclass(frozen=True)
class OfferTerms:
    """One offer, validated. `defaulted` names vesting terms taken from the profile."""

    base: Decimal
    vesting: Vesting
    name: str = "this offer"
    sign_on: Decimal = ZERO
    bonus_percent: Decimal | None = None
    equity_percent: Decimal | None = None
    units: Decimal | None = None
    scenarios: tuple[Scenario, ...] = ()
    defaulted: tuple[str, ...] = ()

    @property
    def bonus(self) -> Decimal:
        """The yearly target bonus in dollars."""
        return cents(self.base * (self.bonus_percent or ZERO) / HUNDRED)

    def valued_scenarios(self) -> tuple[Scenario, ...]:
        """The scenarios, or a single zero-grant one labelled "no equity"."""
        return self.scenarios or (Scenario(NO_EQUITY, ZERO),)

    def describe_equity(self) -> str | None:
        """"0.03 % of the company" or "12,000 units", or None without equity."""
        if self.equity_percent is not None:
            return f"{format_percent(self.equity_percent)} of the company"
        if self.units is not None:
            return f"{self.units.normalize():,f} units"
        return None


def make_offer_terms(
    *,
    base: Decimal,
    name: str = "this offer",
    sign_on: Decimal | None = None,
    bonus_percent: Decimal | None = None,
    equity_percent: Decimal | None = None,
    valuations: Sequence[tuple[str, Decimal]] = (),
    units: Decimal | None = None,
    prices: Sequence[tuple[str, Decimal]] = (),
    vest_years: int | None = None,
    cliff_months: int | None = None,
    frequency: str | None = None,
    defaults: OfferDefaults | None = None,
) -> OfferTerms:
    """Validate one offer's inputs (already parsed amounts) and value its equity scenarios.

    Vesting terms not given come from the profile's `offer` defaults; when the profile has
    none either, PlanningError asks the user for them. Scenario keys are the labels given with
    `valuations` (or `prices`), in order.
    """
    amounts = {
        ("base", "base"): base,
        ("sign_on", "sign-on"): sign_on,
        ("bonus_percent", "bonus percent"): bonus_percent,
        ("equity_percent", "equity percent"): equity_percent,
        ("units", "units"): units,
    }
    for (field_name, label), amount in amounts.items():
        if amount is not None and amount < 0:
            raise PlanningError(f"{name}: {label}: negative amounts are not allowed", field=field_name)
    vesting, defaulted = _vesting(vest_years, cliff_months, frequency, defaults, name)
    scenarios = _scenarios(name, equity_percent, valuations, units, prices)
    return OfferTerms(
        base=base,
        vesting=vesting,
        name=name,
        sign_on=sign_on or ZERO,
        bonus_percent=bonus_percent,
        equity_percent=equity_percent,
        units=units,
        scenarios=scenarios,
        defaulted=defaulted,
    )


def _vesting(
    years: int | None, cliff: int | None, frequency: str | None, defaults: OfferDefaults | None, name: str
) -> tuple[Vesting, tuple[str, ...]]:
    given = {"vest_years": years, "cliff_months": cliff, "frequency": frequency}
    flags = {"vest_years": "--vest-years", "cliff_months": "--cliff-months", "frequency": "--frequency"}
    resolved: dict[str, Any] = {}
    defaulted = []
    for field_name, value in given.items():
        if value is None and defaults is not None:
            value = getattr(defaults, field_name)
            if value is not None:
                defaulted.append(field_name)
        if value is None:
            raise PlanningError(f"{name}: the profile has no default for {field_name}; give {flags[field_name]}", field=field_name)
        resolved[field_name] = value
    years, cliff, frequency = resolved["vest_years"], resolved["cliff_months"], resolved["frequency"]
    if not isinstance(years, int) or not 1 <= years <= 10:
        raise PlanningError(f"{name}: vesting years must be a whole number from 1 to 10 (got {years})", field="vest_years")
    if not isinstance(cliff, int) or cliff < 0:
        raise PlanningError(f"{name}: the cliff must be a whole number of months, 0 or more (got {cliff})", field="cliff_months")
    if cliff > years * 12:
        raise PlanningError(f"{name}: a {cliff}-month cliff is longer than the {years}-year vesting period", field="cliff_months")
    if frequency not in FREQUENCY_MONTHS:
        raise PlanningError(f"{name}: vesting frequency must be monthly, quarterly or annual (got {frequency!r})", field="frequency")
    return Vesting(years, cliff, frequency), tuple(defaulted)


def _scenarios(
    name: str,
    equity_percent: Decimal | None,
    valuations: Sequence[tuple[str, Decimal]],
    units: Decimal | None,
    prices: Sequence[tuple[str, Decimal]],
) -> tuple[Scenario, ...]:
    as_percent = equity_percent is not None or bool(valuations)
    as_units = units is not None or bool(prices)
    if as_percent and as_units:
        raise PlanningError(f"{name}: give equity as a percentage with valuations, or as units with a price, not both", field="units")
    if equity_percent is not None and equity_percent > HUNDRED:
        raise PlanningError(f"{name}: equity of {format_percent(equity_percent)} is over 100 % of the company", field="equity_percent")
    if as_percent and (equity_percent is None or not valuations):
        raise PlanningError(
            f"{name}: equity as a percentage needs both the percentage and at least one valuation",
            field="valuations" if equity_percent is not None else "equity_percent",
        )
    if as_units and (units is None or not prices):
        raise PlanningError(f"{name}: equity as units needs both the number of units and a price", field="price" if units is not None else "units")
    keys = [key for key, _ in (valuations or prices)]
    if len(set(keys)) != len(keys):
        raise PlanningError(f"{name}: the same valuation is given twice", field="valuations")
    if NO_EQUITY in keys:
        raise PlanningError(f"{name}: {NO_EQUITY!r} is not a valuation", field="valuations")
    for key, amount in (*valuations, *prices):
        if amount < 0:
            raise PlanningError(f"{name}: negative amounts are not allowed ({key})", field="valuations" if valuations else "price")
    if as_percent:
        return tuple(Scenario(key, cents(equity_percent * value / HUNDRED), valuation=value) for key, value in valuations)
    if as_units:
        return tuple(Scenario(key, cents(units * price), price=price) for key, price in prices)
    return ()


@dataclass(frozen=True)
class YearRow:
    """One year of the offer: cash, equity vested per scenario, total per scenario."""

    year: int
    base: Decimal
    sign_on: Decimal
    bonus: Decimal
    equity: dict[str, Decimal]

    @property
    def cash(self) -> Decimal:
        return self.base + self.sign_on + self.bonus

    @property
    def total(self) -> dict[str, Decimal]:
        return {key: self.cash + value for key, value in self.equity.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "base": to_number(self.base),
            "sign_on": to_number(self.sign_on),
            "bonus": to_number(self.bonus),
            "equity": _numbers(self.equity),
            "total": _numbers(self.total),
        }


def _numbers(values: dict[str, Decimal]) -> dict[str, float | int]:
    return {key: to_number(value) for key, value in values.items()}


def year_rows(terms: OfferTerms, years: int | None = None) -> list[YearRow]:
    """The year-by-year table, over the vesting period and at least four years."""
    years = years or max(COMPARISON_YEARS, terms.vesting.years)
    vested = {scenario.key: terms.vesting.by_year(scenario.grant, years) for scenario in terms.valued_scenarios()}
    return [
        YearRow(
            year=index + 1,
            base=cents(terms.base),
            sign_on=cents(terms.sign_on) if index == 0 else ZERO,
            bonus=terms.bonus,
            equity={key: amounts[index] for key, amounts in vested.items()},
        )
        for index in range(years)
    ]


def sum_rows(rows: Sequence[YearRow]) -> dict[str, Any]:
    """Totals of the given rows: cash parts and equity / total per scenario (Decimals)."""
    keys = list(rows[0].equity) if rows else []
    return {
        "years": len(rows),
        "base": sum((row.base for row in rows), ZERO),
        "sign_on": sum((row.sign_on for row in rows), ZERO),
        "bonus": sum((row.bonus for row in rows), ZERO),
        "equity": {key: sum((row.equity[key] for row in rows), ZERO) for key in keys},
        "total": {key: sum((row.total[key] for row in rows), ZERO) for key in keys},
    }


def _money_dict(values: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Decimal):
            converted[key] = to_number(value)
        elif isinstance(value, dict):
            converted[key] = _money_dict(value)
        else:
            converted[key] = value
    return converted


@dataclass(frozen=True)
class OfferPlan:
    """Everything the offer page and `storybank offer --json` show."""

    terms: OfferTerms
    rows: list[YearRow]
    totals: dict[str, Any]
    cliff: dict[str, Any]
    vs_current: dict[str, Any]
    comparison: list[dict[str, Any]]
    chart: dict[str, Any]
    reference: dict[str, Any]
    assumptions: list[str]
    script: str = ""
    script_steps: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: years, totals, cliff, vs_current, script, plus comparison and chart."""
        return {
            "years": [row.to_dict() for row in self.rows],
            "totals": _money_dict(self.totals),
            "cliff": _money_dict(self.cliff),
            "vs_current": _money_dict(self.vs_current),
            "comparison": [_money_dict(entry) for entry in self.comparison],
            "chart": self.chart,
            "reference": self.reference,
            "assumptions": list(self.assumptions),
            "inputs": _inputs(self.terms),
            "script": self.script,
            "script_steps": list(self.script_steps),
        }


def _inputs(terms: OfferTerms) -> dict[str, Any]:
    return {
        "name": terms.name,
        "base": to_number(terms.base),
        "sign_on": to_number(terms.sign_on),
        "bonus_percent": float(terms.bonus_percent) if terms.bonus_percent is not None else None,
        "equity_percent": float(terms.equity_percent) if terms.equity_percent is not None else None,
        "units": float(terms.units) if terms.units is not None else None,
        "scenarios": [
            {
                "key": scenario.key,
                "valuation": to_number(scenario.valuation) if scenario.valuation is not None else None,
                "price": to_number(scenario.price) if scenario.price is not None else None,
                "grant": to_number(scenario.grant),
            }
            for scenario in terms.scenarios
        ],
        "vest_years": terms.vesting.years,
        "cliff_months": terms.vesting.cliff_months,
        "frequency": terms.vesting.frequency,
        "from_profile": list(terms.defaulted),
    }


def cliff_effect(terms: OfferTerms) -> dict[str, Any]:
    """What the cliff means: what vests on it, and what leaving the day before forfeits."""
    vesting = terms.vesting
    first_event = vesting.events()[0]
    grants = {scenario.key: scenario.grant for scenario in terms.valued_scenarios()}
    if vesting.cliff_months:
        note = (
            f"Leaving before month {vesting.cliff_months} forfeits the whole grant: nothing vests until the cliff, "
            f"then {vesting.cliff_months} months' worth vests at once."
        )
    else:
        note = f"No cliff: the first {vesting.frequency} instalment vests at month {first_event}."
    return {
        "months": vesting.cliff_months,
        "first_vest_month": first_event,
        "vests_at_cliff": {key: vesting.cumulative(grant, first_event) for key, grant in grants.items()},
        "forfeited_if_leaving_before": dict(grants),
        "base_paid_before": cents(terms.base * first_event / 12),
        "note": note,
    }


def compare_with_current(
    terms: OfferTerms, rows: Sequence[YearRow], current_base: Decimal | None, defaults: OfferDefaults | None
) -> dict[str, Any]:
    """The offer against the candidate's current base (year one and four years, per scenario)."""
    typical = None
    if defaults is not None and defaults.typical_current_base is not None:
        typical = {
            "low": Decimal(str(defaults.typical_current_base.low)),
            "high": Decimal(str(defaults.typical_current_base.high)),
            "source": defaults.source_of("typical_current_base"),
        }
    keys = list(rows[0].equity)
    if current_base is None:
        return {
            "current_base": None,
            "base_change": None,
            "base_change_percent": None,
            "year_one_change": {key: None for key in keys},
            "four_year_change": {key: None for key in keys},
            "typical_current_base": typical,
            "note": "give your current base (--current-base) to compare the offer with your pay",
        }
    four_years = sum_rows(rows[:COMPARISON_YEARS])["total"]
    percent = None
    if current_base > 0:
        percent = float(round((terms.base - current_base) * HUNDRED / current_base, 1))
    return {
        "current_base": current_base,
        "base_change": terms.base - current_base,
        "base_change_percent": percent,
        "year_one_change": {key: value - current_base for key, value in rows[0].total.items()},
        "four_year_change": {key: value - current_base * COMPARISON_YEARS for key, value in four_years.items()},
        "typical_current_base": typical,
        "note": "compares with your current base only; current bonus or equity are not counted",
    }


def comparison_entry(terms: OfferTerms) -> dict[str, Any]:
    """One column of the side-by-side comparison."""
    rows = year_rows(terms)
    four = sum_rows(rows[:COMPARISON_YEARS])["total"]
    return {
        "name": terms.name,
        "base": terms.base,
        "sign_on": terms.sign_on,
        "bonus_percent": float(terms.bonus_percent) if terms.bonus_percent is not None else None,
        "equity": terms.describe_equity(),
        "vesting": terms.vesting.describe(),
        "equity_grant": {scenario.key: scenario.grant for scenario in terms.valued_scenarios()},
        "scenario_labels": {scenario.key: scenario.describe() or scenario.key for scenario in terms.valued_scenarios()},
        "year_one": dict(rows[0].total),
        "four_year": dict(four),
    }


def chart_series(terms: OfferTerms, others: Sequence[OfferTerms], current_base: Decimal | None) -> dict[str, Any]:
    """Cumulative pay by year, one series per scenario and per offer (plus current base)."""
    years = max([COMPARISON_YEARS, terms.vesting.years, *(other.vesting.years for other in others)])
    series = []
    for offer in (terms, *others):
        rows = year_rows(offer, years)
        for scenario in offer.valued_scenarios():
            running = ZERO
            values = []
            for row in rows:
                running += row.total[scenario.key]
                values.append(to_number(running))
            label = offer.name if scenario.key == NO_EQUITY else f"{offer.name} {scenario.describe()}"
            series.append({"label": label, "offer": offer.name, "scenario": scenario.key, "values": values})
    if current_base is not None:
        values = [to_number(current_base * year) for year in range(1, years + 1)]
        series.append({"label": "current base", "offer": None, "scenario": None, "values": values})
    return {"title": "Cumulative pay by year (USD)", "years": list(range(1, years + 1)), "series": series}


def _usd(value: float | None) -> float | int | None:
    return None if value is None else to_number(Decimal(str(value)))


def reference_figures(defaults: OfferDefaults | None) -> dict[str, Any]:
    """The profile's reported figures, each with its source label, for display beside the offer."""
    if defaults is None:
        return {}
    reference: dict[str, Any] = {}
    if defaults.base is not None:
        band = defaults.base
        reference["base"] = {"low": _usd(band.low), "expected": _usd(band.expected), "high": _usd(band.high)}
    if defaults.sign_on is not None:
        reference["sign_on"] = _usd(defaults.sign_on)
    for name in ("bonus_percent", "equity_percent", "vest_years", "cliff_months", "frequency"):
        if getattr(defaults, name) is not None:
            reference[name] = getattr(defaults, name)
    if defaults.typical_current_base is not None:
        typical = defaults.typical_current_base
        reference["typical_current_base"] = {"low": _usd(typical.low), "high": _usd(typical.high)}
    if defaults.negotiation_order:
        reference["negotiation_order"] = list(defaults.negotiation_order)
    reference["sources"] = {name: label for name, label in defaults.source_labels().items() if name in reference}
    return reference


def _assumptions(terms: OfferTerms, defaults: OfferDefaults | None) -> list[str]:
    notes = [
        "base stays the same every year (no raises)",
        "the sign-on is paid once, in year one",
        "equity is valued at the valuations or unit price given, unchanged over the years",
    ]
    if terms.bonus_percent is not None:
        notes.append("the bonus is paid at its target every year")
    for name in terms.defaulted:
        source = defaults.source_of(name) if defaults else None
        value = getattr(terms.vesting, {"vest_years": "years"}.get(name, name))
        notes.append(f"{name.replace('_', ' ')} = {value} from the profile" + (f" ({source})" if source else ""))
    return notes


def plan_offer(
    terms: OfferTerms,
    *,
    current_base: Decimal | None = None,
    others: Sequence[OfferTerms] = (),
    defaults: OfferDefaults | None = None,
    evidence: str | None = None,
) -> OfferPlan:
    """Build the year-by-year table, four-year totals, cliff effect, comparisons and script."""
    from storybank.planning.negotiation import negotiation_script

    if current_base is not None and current_base < 0:
        raise PlanningError("current base: negative amounts are not allowed", field="current_base")
    rows = year_rows(terms)
    plan = OfferPlan(
        terms=terms,
        rows=rows,
        totals=sum_rows(rows[:COMPARISON_YEARS]),
        cliff=cliff_effect(terms),
        vs_current=compare_with_current(terms, rows, current_base, defaults),
        comparison=[comparison_entry(offer) for offer in (terms, *others)],
        chart=chart_series(terms, others, current_base),
        reference=reference_figures(defaults),
        assumptions=_assumptions(terms, defaults),
    )
    script = negotiation_script(plan, defaults, current_base=current_base, evidence=evidence)
    return OfferPlan(**{**plan.__dict__, "script": script.text, "script_steps": script.steps})
