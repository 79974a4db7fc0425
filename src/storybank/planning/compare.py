"""Other offers to compare, as data (the `--compare FILE` format; JSON or YAML).

```yaml
offers:                      # or a bare list of offers
  - name: Other exchange     # required, unique
    base: 165000             # required; amounts may be numbers or text such as "165k"
    sign_on: 10000
    bonus_percent: 10        # in percent of base
    equity_percent: 0.02     # in percent of the company, with one or more valuations …
    valuations: [5B, 8B]
    # … or: units: 4000 and price: 25 (USD per unit)
    vest_years: 4            # vesting terms not given default to the profile's
    cliff_months: 12
    frequency: quarterly     # monthly | quarterly | annual
```
"""

from __future__ import annotations

from typing import Any, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from storybank.planning.errors import PlanningError
from storybank.planning.inputs import amount_label
from storybank.planning.models import Frequency, OfferDefaults
from storybank.planning.money import parse_amount, parse_percent
from storybank.planning.offer import HUNDRED, OfferTerms, make_offer_terms

MAX_OFFERS = 10
Amount = Union[float, int, str]


class OtherOffer(BaseModel):
    """One offer in a compare file."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    base: Amount
    sign_on: Amount | None = None
    bonus_percent: Amount | None = None
    equity_percent: Amount | None = None
    valuations: list[Amount] = Field(default_factory=list, max_length=10)
    units: Amount | None = None
    price: Amount | None = None
    vest_years: int | None = None
    cliff_months: int | None = None
    frequency: Frequency | None = None


class CompareFile(BaseModel):
    """The whole file: a list of offers under `offers`."""

    model_config = ConfigDict(extra="forbid")

    offers: list[OtherOffer] = Field(min_length=1, max_length=MAX_OFFERS)


def _terms(offer: OtherOffer, where: str, defaults: OfferDefaults | None) -> OfferTerms:
    def amount(value: Amount | None, field: str):
        return None if value is None else parse_amount(value, f"{where}.{field}")

    return make_offer_terms(
        name=offer.name,
        base=parse_amount(offer.base, f"{where}.base"),
        sign_on=amount(offer.sign_on, "sign_on"),
        bonus_percent=None if offer.bonus_percent is None else parse_percent(offer.bonus_percent, f"{where}.bonus_percent"),
        equity_percent=None
        if offer.equity_percent is None
        else parse_percent(offer.equity_percent, f"{where}.equity_percent", maximum=HUNDRED),
        valuations=[(amount_label(value), parse_amount(value, f"{where}.valuations")) for value in offer.valuations],
        units=amount(offer.units, "units"),
        prices=[] if offer.price is None else [(amount_label(offer.price), parse_amount(offer.price, f"{where}.price"))],
        vest_years=offer.vest_years,
        cliff_months=offer.cliff_months,
        frequency=offer.frequency,
        defaults=defaults,
    )


def offers_from_data(data: Any, source: str, defaults: OfferDefaults | None = None) -> list[OfferTerms]:
    """Validate parsed compare-file data; errors name `source` and the field (PlanningError)."""
    if isinstance(data, list):
        data = {"offers": data}
    if not isinstance(data, dict):
        raise PlanningError(f"{source}: expected a mapping with an `offers` list (or a list of offers)")
    try:
        parsed = CompareFile.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        message = "unknown field (check the spelling)" if problem["type"] == "extra_forbidden" else problem["msg"]
        raise PlanningError(f"{source}: {field}: {message}") from error
    names = [offer.name for offer in parsed.offers]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise PlanningError(f"{source}: offers: the name {duplicates[0]!r} appears twice")
    terms = []
    for index, offer in enumerate(parsed.offers):
        try:
            terms.append(_terms(offer, f"offers.{index}", defaults))
        except PlanningError as error:
            raise PlanningError(f"{source}: {error}") from error
    return terms
