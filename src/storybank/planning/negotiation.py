"""The negotiation script: the profile's sentences, filled with the user's own numbers.

The profile gives the wording and the order of the levers (e.g. equity first, then base,
then sign-on); the offer gives the numbers. A figure neither of them gives is never made
up: the script leaves a visible `[bracketed]` prompt for the user to fill in instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from storybank.planning.models import NegotiationScript, OfferDefaults
from storybank.planning.money import format_percent, format_usd

if TYPE_CHECKING:
    from storybank.planning.offer import OfferPlan

DEFAULT_ORDER = ("equity", "base", "sign_on")
LEVER_TITLES = {
    "opening": "Opening",
    "equity": "Equity",
    "base": "Base salary",
    "sign_on": "Sign-on bonus",
    "bonus": "Annual bonus",
    "vesting": "Vesting terms",
    "close": "Close",
}
PROMPTS = {
    "evidence": "[your strongest result: the decision you owned and its metric]",
    "target_equity": "[the grant you will ask for]",
    "target_base": "[the base you will ask for]",
    "target_sign_on": "[the sign-on you will ask for]",
    "current_base": "[your current base]",
}


@dataclass(frozen=True)
class Script:
    """The script as text and as steps (`lever`, `title`, `say`, `notes`) for pages."""

    text: str
    steps: list[dict[str, Any]] = field(default_factory=list)


def _money(value: float | Decimal | None) -> str | None:
    return None if value is None else format_usd(Decimal(str(value)))


def _fill_values(plan: "OfferPlan", defaults: OfferDefaults | None, current_base: Decimal | None, evidence: str | None) -> dict[str, str]:
    terms = plan.terms
    band = defaults.base if defaults else None
    values = dict(PROMPTS)
    values.update(
        base=format_usd(terms.base),
        sign_on=format_usd(terms.sign_on),
        vesting=terms.vesting.describe(),
        frequency=terms.vesting.frequency,
        frequency_source=(defaults.source_of("frequency") if defaults else None) or "",
        bonus_percent=format_percent(terms.bonus_percent) if terms.bonus_percent is not None else "",
        equity=terms.describe_equity() or "",
        grant_values=" and ".join(f"{format_usd(s.grant)} {s.describe()}" for s in terms.scenarios),
        band_low=_money(band.low) if band else "",
        band_high=_money(band.high) if band else "",
        band_source=(defaults.source_of("base") if defaults else None) or "",
        reference_sign_on=_money(defaults.sign_on) if defaults and defaults.sign_on is not None else "",
        reference_equity=format_percent(Decimal(str(defaults.equity_percent))) if defaults and defaults.equity_percent is not None else "",
        equity_source=(defaults.source_of("equity_percent") if defaults else None) or "",
        sign_on_source=(defaults.source_of("sign_on") if defaults else None) or "",
    )
    if evidence and evidence.strip():
        values["evidence"] = " ".join(evidence.split())
    if band is not None and terms.base < Decimal(str(band.high)):
        values["target_base"] = _money(band.high)
    if current_base is not None:
        values["current_base"] = format_usd(current_base)
        difference = terms.base - current_base
        direction = "above" if difference >= 0 else "below"
        values["base_change"] = f"{format_usd(abs(difference))} {direction}"
    else:
        values["base_change"] = "[how far above or below]"
    return values


def _base_variant(plan: "OfferPlan", defaults: OfferDefaults | None) -> str:
    band = defaults.base if defaults else None
    if band is None:
        return "base_no_band"
    if plan.terms.base < Decimal(str(band.low)):
        return "base_below_band"
    if plan.terms.base < Decimal(str(band.high)):
        return "base_in_band"
    return "base_above_band"


def _lever_step(lever: str, plan: "OfferPlan", defaults: OfferDefaults | None, current_base: Decimal | None) -> tuple[str, list[str]]:
    """Which sentence to say for a lever, and which notes to add (template names)."""
    terms = plan.terms

    def has(name: str) -> bool:
        return defaults is not None and getattr(defaults, name) is not None

    if lever == "equity":
        return ("equity" if terms.scenarios else "equity_missing"), (["note_reference_equity"] if has("equity_percent") else [])
    if lever == "base":
        notes = (["note_band"] if has("base") else []) + (["note_current_base"] if current_base is not None else [])
        return _base_variant(plan, defaults), notes
    if lever == "sign_on":
        return ("sign_on" if terms.sign_on > 0 else "sign_on_missing"), (["note_reference_sign_on"] if has("sign_on") else [])
    return ("bonus" if terms.bonus_percent is not None else "bonus_missing"), []


def negotiation_script(
    plan: "OfferPlan",
    defaults: OfferDefaults | None,
    *,
    current_base: Decimal | None = None,
    evidence: str | None = None,
) -> Script:
    """Fill the profile's script with the offer's numbers, levers in the profile's order.

    Returns an empty script when the profile has no script sentences.
    """
    sentences: NegotiationScript | None = defaults.script if defaults else None
    if sentences is None:
        return Script("", [])
    values = _fill_values(plan, defaults, current_base, evidence)
    steps: list[dict[str, Any]] = [_step("opening", sentences.opening, [], values)]
    for lever in defaults.negotiation_order or DEFAULT_ORDER:
        template_name, note_names = _lever_step(lever, plan, defaults, current_base)
        notes = [getattr(sentences, name) for name in note_names]
        steps.append(_step(lever, getattr(sentences, template_name), notes, values))
    vesting_notes = [sentences.note_frequency] if "frequency" in plan.terms.defaulted and values["frequency_source"] else []
    steps.append(_step("vesting", sentences.vesting, vesting_notes, values))
    steps.append(_step("close", sentences.close, [], values))
    return Script(_as_text(steps), steps)


def _step(lever: str, template: str, notes: list[str], values: dict[str, str]) -> dict[str, Any]:
    return {
        "lever": lever,
        "title": LEVER_TITLES[lever],
        "say": template.format(**values).strip(),
        "notes": [note.format(**values).strip() for note in notes],
    }


def _as_text(steps: list[dict[str, Any]]) -> str:
    blocks = []
    for number, step in enumerate(steps, start=1):
        lines = [f"{number}. {step['title']}: {step['say']}"]
        lines.extend(f"   Note: {note}" for note in step["notes"])
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
