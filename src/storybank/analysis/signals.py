"""Score each signal of the matrix from 0 to 1, with the spans that earned it.

One small function per signal; the weights, limits and lexicons come from the profile.
Penalties from rule findings are applied afterwards, in the analyzer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from storybank.analysis.features import Features
from storybank.analysis.lexicon import Matches
from storybank.analysis.text import Span, opening_end

if TYPE_CHECKING:
    from storybank.rubric.models import Profile


@dataclass
class SignalScore:
    """A signal's raw score (before rule penalties) and its evidence."""

    score: float
    evidence: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """Everything a signal or rule needs about one answer."""

    text: str
    features: Features
    matches: Matches
    profile: Profile
    kind: str

    def seconds_until(self, end: int) -> float:
        """Speaking time of text[:end] at the profile's rate."""
        return self.features.words_before(end) / self.profile.speaking_rate_wpm * 60.0

    @cached_property
    def opening(self) -> str:
        """The opening: the first paragraph (the whole answer when it has one)."""
        return self.text[: opening_end(self.text)]


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def ownership(ctx: Context) -> SignalScore:
    """One explicit decision that *I* made; credit for first-person actions and for "I" over "we"."""
    f = ctx.features
    decisions, actions = f.spans("owned_decision"), f.spans("first_person_action")
    score = 0.6 if decisions else 0.45 if actions else 0.0
    score += 0.2 * min(1.0, (len(decisions) + len(actions)) / 3)
    people = f.first_person_count + f.team_count
    if people:
        score += 0.2 * f.first_person_count / people
    return SignalScore(_clamp(score), (decisions or actions)[:3])


def quantified_impact(ctx: Context) -> SignalScore:
    """One headline KPI with a number and a direction; partial credit for weaker numbers."""
    f = ctx.features
    if f.has("headline_metric"):
        return SignalScore(1.0, f.spans("headline_metric")[:3])
    if f.impact_quantities:
        return SignalScore(0.7, f.spans("impact_quantity")[:3])
    if f.quantities:
        return SignalScore(0.3, f.spans("quantity")[:2])
    named_kpi = [s for s in ctx.matches.find("kpi_terms") if _sentence_has(ctx, s, "direction_words")]
    return SignalScore(0.15 if named_kpi else 0.0, named_kpi[:1])


def dollar_value(ctx: Context) -> SignalScore:
    """The impact translated into money (revenue, volume, fines avoided, loss prevented)."""
    f = ctx.features
    money = f.spans("usd_value")
    impact = [s for s in money if any(q.start == s.start for q in f.impact_quantities)]
    if impact:
        return SignalScore(1.0, impact[:3])
    return SignalScore(0.6 if money else 0.0, money[:3])


def alignment(ctx: Context) -> SignalScore:
    """Named functions aligned by a concrete action, with a delivery time."""
    f = ctx.features
    functions = {span.text.lower() for span in f.spans("named_function")}
    actions = f.spans("alignment_action")
    delivery = f.spans("delivery_time")
    score = 0.4 * min(2, len(functions)) / 2
    if actions:
        score += 0.3 if functions else 0.15
    if delivery:
        score += 0.3
    return SignalScore(_clamp(score), (actions[:1] + f.spans("named_function")[:3] + delivery[:1]))


def customer_impact(ctx: Context) -> SignalScore:
    """A user-facing outcome: churn, DAU, retention, conversion, complaints, fills …"""
    f = ctx.features
    outcomes = f.spans("customer_outcome")
    impact_sentences = {f.sentence_index(q.start) for q in f.impact_quantities}
    quantified = [s for s in outcomes if f.sentence_index(s.start) in impact_sentences]
    if quantified:
        return SignalScore(1.0, quantified[:3])
    if outcomes:
        return SignalScore(0.6, outcomes[:3])
    mentioned = ctx.matches.find("customer_terms")
    return SignalScore(0.25 if mentioned else 0.0, mentioned[:1])


def risk_awareness(ctx: Context) -> SignalScore:
    """The specific rule named and the trade-off quantified."""
    f = ctx.features
    rules, tradeoffs = f.spans("named_rule"), f.spans("quantified_tradeoff")
    score = (0.5 if rules else 0.0) + (0.5 if rules and tradeoffs else 0.0)
    if not rules and ctx.matches.has("risk_context"):
        score = 0.15
    return SignalScore(score, rules[:2] + tradeoffs[:2])


def brevity(ctx: Context) -> SignalScore:
    """The opening fits its budget and the whole answer stays short."""
    limits = ctx.profile.limits
    opening = _within(ctx.seconds_until(len(ctx.opening)), limits.opening_seconds)
    answer = _within(ctx.seconds_until(len(ctx.text)), limits.answer_seconds)
    return SignalScore(0.5 * opening + 0.5 * answer, [])


def _within(seconds: float, limit: float) -> float:
    """1 inside the limit, falling to 0 at twice the limit."""
    if seconds <= limit:
        return 1.0
    return _clamp(2.0 - seconds / limit)


def metric_first(ctx: Context) -> SignalScore:
    """The first sentence carries the decision and the metric, before any context."""
    f = ctx.features
    if not f.sentences:
        return SignalScore(0.0)
    first = f.sentences[0]
    inside = lambda spans: [s for s in spans if first.start <= s.start < first.end]  # noqa: E731
    decision = inside(f.spans("owned_decision")) or inside(f.spans("first_person_action"))
    metric = inside(f.spans("impact_quantity"))
    score = 0.5 * bool(decision) + 0.5 * bool(metric)
    if score < 1.0 and _opens_with_context(ctx):
        score *= 0.5
    return SignalScore(score, decision[:1] + metric[:1])


def _opens_with_context(ctx: Context) -> bool:
    first = ctx.features.sentences[0]
    return any(span.start == first.start for span in ctx.matches.find("context_openers", first.start, first.end))


def failure_recovery(ctx: Context) -> SignalScore:
    """Missed metric quantified, owned post-mortem, fix, time to recover, prevention, money protected."""
    f = ctx.features
    failure_sentences = {f.sentence_index(s.start) for s in f.spans("failure_event")}
    dip = [s for s in f.spans("impact_quantity") if f.sentence_index(s.start) in failure_sentences]
    parts = [
        dip[:1],
        f.spans("post_mortem")[:1],
        ctx.matches.find("recovery_terms")[:1],
        f.spans("recovery_time")[:1],
        f.spans("prevention")[:1],
        f.spans("usd_value")[:1],
    ]
    score = sum(1 for part in parts if part) / len(parts)
    return SignalScore(score, [span for part in parts for span in part])


def _sentence_has(ctx: Context, span: Span, lexicon: str) -> bool:
    sentence = ctx.features.sentences[ctx.features.sentence_index(span.start)]
    return ctx.matches.has(lexicon, sentence.start, sentence.end)


SCORERS = {
    "ownership": ownership,
    "quantified_impact": quantified_impact,
    "dollar_value": dollar_value,
    "alignment": alignment,
    "customer_impact": customer_impact,
    "risk_awareness": risk_awareness,
    "brevity": brevity,
    "metric_first": metric_first,
    "failure_recovery": failure_recovery,
}
