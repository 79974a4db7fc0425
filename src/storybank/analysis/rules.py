"""The rule kinds. A rule is a YAML declaration; each kind is one small function here.

A kind receives the declaration and the answer's Context and returns the spans to flag, plus
any values its message may quote ({seconds}, {limit}, {count}, {maximum}).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Mapping, NamedTuple

from storybank.analysis.signals import Context
from storybank.analysis.text import Span, spans_of

if TYPE_CHECKING:
    from storybank.rubric import models


class Finding(NamedTuple):
    """One problem in an answer, like a linter's alert."""

    rule: str
    signal: str
    severity: str
    message: str
    start: int
    end: int
    hint: str

    def to_dict(self) -> dict:
        """JSON form (SPEC's `findings` items)."""
        return {
            "rule": self.rule,
            "signal": self.signal,
            "severity": self.severity,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "hint": self.hint,
        }


Hits = list[tuple[Span, dict]]


def _first_sentence(ctx: Context) -> Span | None:
    return ctx.features.sentences[0] if ctx.features.sentences else None


@lru_cache(maxsize=512)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def _sentence_has_feature(ctx: Context, span: Span, names: list[str]) -> bool:
    index = ctx.features.sentence_index(span.start)
    return any(ctx.features.sentence_index(e.start) == index for name in names for e in ctx.features.spans(name))


def phrase(rule: models.PhraseRule, ctx: Context) -> Hits:
    """Each occurrence of the lexicon's terms or the patterns."""
    if any(ctx.features.has(name) for name in rule.unless_text_has):
        return []
    start, end = 0, len(ctx.text)
    if rule.scope == "first_sentence":
        first = _first_sentence(ctx)
        if first is None:
            return []
        start, end = first.start, first.end
    spans = ctx.matches.find(rule.lexicon, start, end) if rule.lexicon else []
    if rule.patterns:
        pattern = _compiled(tuple(rule.patterns))
        spans += spans_of(pattern, ctx.text, start, end)
    if rule.at_start:
        spans = [span for span in spans if not ctx.text[start:span.start].strip(" \t\"“'")]
    if rule.unless_sentence_has:
        spans = [span for span in spans if not _sentence_has_feature(ctx, span, rule.unless_sentence_has)]
    spans = sorted(set(spans), key=lambda span: (span.start, span.end))
    return [(span, {}) for span in spans[: rule.max_findings]]


def ratio(rule: models.RatioRule, ctx: Context) -> Hits:
    """The numerator lexicon outweighs the denominator beyond `max_ratio`."""
    numerator = ctx.matches.find(rule.numerator)
    denominator = ctx.matches.find(rule.denominator)
    if len(numerator) < rule.min_count:
        return []
    if len(numerator) <= rule.max_ratio * max(len(denominator), 0) and denominator:
        return []
    return [(numerator[0], {"count": len(numerator), "other": len(denominator)})]


def co_occurrence(rule: models.CoOccurrenceRule, ctx: Context) -> Hits:
    """Every `present` feature found and every `absent` feature missing."""
    f = ctx.features
    if not all(f.has(name) for name in rule.present) or any(f.has(name) for name in rule.absent):
        return []
    if rule.span == "present" and rule.present:
        return [(f.spans(rule.present[0])[0], {})]
    if rule.span == "text":
        stripped = ctx.text.strip()
        start = ctx.text.index(stripped[0]) if stripped else 0
        return [(Span(start, start + len(stripped), stripped), {})]
    first = _first_sentence(ctx)
    return [(first, {})] if first else []


def quantity_near_kpi(rule: models.QuantityNearKpiRule, ctx: Context) -> Hits:
    """Numbers are present, but none of them sits near a KPI or a direction word."""
    f = ctx.features
    if f.impact_quantities or not f.quantities:
        return []
    quantity = f.quantities[0]
    return [(Span(quantity.start, quantity.end, quantity.text), {"count": len(f.quantities)})]


def position(rule: models.PositionRule, ctx: Context) -> Hits:
    """The first sentence lacks every `requires_any` feature while a later one has one."""
    f = ctx.features
    first = _first_sentence(ctx)
    if first is None or len(f.sentences) < rule.min_sentences:
        return []
    found = [span for name in rule.requires_any for span in f.spans(name)]
    if not found or any(first.start <= span.start < first.end for span in found):
        return []
    return [(first, {})]


def length(rule: models.LengthRule, ctx: Context) -> Hits:
    """The words spoken after the time limit, at the profile's speaking rate."""
    limits = ctx.profile.limits
    if rule.measure == "opening":
        region_end, limit = len(ctx.opening), limits.opening_seconds
    else:
        region_end, limit = len(ctx.text.rstrip()), limits.answer_seconds
    region_words = ctx.features.words_before(region_end)
    allowed = int(limit * ctx.profile.speaking_rate_wpm / 60.0)
    if region_words <= allowed:
        return []
    start = ctx.features.word_starts[allowed]
    seconds = region_words / ctx.profile.speaking_rate_wpm * 60.0
    return [(Span(start, region_end, ctx.text[start:region_end]), {"seconds": round(seconds), "limit": round(limit)})]


def count(rule: models.CountRule, ctx: Context) -> Hits:
    """More than `maximum` occurrences of a feature; flags the first one past the maximum."""
    spans = ctx.features.spans(rule.feature)
    if rule.feature == "impact_quantity":
        distinct = [q for q in ctx.features.impact_quantities if q.kind != "duration"]
        spans = [Span(q.start, q.end, q.text) for q in distinct]
    if len(spans) <= rule.maximum:
        return []
    extra = spans[rule.maximum]
    return [(extra, {"count": len(spans), "maximum": rule.maximum})]


KINDS = {
    "phrase": phrase,
    "ratio": ratio,
    "co_occurrence": co_occurrence,
    "quantity_near_kpi": quantity_near_kpi,
    "position": position,
    "length": length,
    "count": count,
}


class _Quoted(dict):
    """Leaves unknown {placeholders} in a message as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class ActiveRule:
    """A rule as one profile runs it: enabled, with the profile's severity and penalty applied."""

    rule: models.Rule
    severity: str
    penalty: float

    def findings(self, ctx: Context) -> list[Finding]:
        """The rule's findings in one answer."""
        return _findings(self.rule, self.severity, ctx)


def active_rules(rules: Iterable[models.Rule], overrides: Mapping[str, models.RuleOverride]) -> tuple[ActiveRule, ...]:
    """The rules a profile runs, in declaration order, each with its overrides resolved once."""
    active = []
    for rule in rules:
        override = overrides.get(rule.id)
        if override is not None and not override.enabled:
            continue
        severity = override.severity if override and override.severity else rule.severity
        active.append(ActiveRule(rule, severity, rule_penalty(rule, override)))
    return tuple(active)


def run_rule(rule: models.Rule, override: models.RuleOverride | None, ctx: Context) -> list[Finding]:
    """Apply one rule to an answer; returns its findings with the profile's overrides applied."""
    if override is not None and not override.enabled:
        return []
    severity = override.severity if override and override.severity else rule.severity
    return _findings(rule, severity, ctx)


def _findings(rule: models.Rule, severity: str, ctx: Context) -> list[Finding]:
    if rule.story_kinds and ctx.kind not in rule.story_kinds:
        return []
    findings = []
    for span, values in KINDS[rule.kind](rule, ctx):
        values = {"match": span.text, **values}
        message = rule.message.format_map(_Quoted(values))
        hint = rule.hint.format_map(_Quoted(values))
        findings.append(Finding(rule.id, rule.signal, severity, message, span.start, span.end, hint))
    return findings


def rule_penalty(rule: models.Rule, override: models.RuleOverride | None) -> float:
    """How much each finding of this rule lowers its signal's score."""
    if override is not None and override.penalty is not None:
        return override.penalty
    return rule.penalty
