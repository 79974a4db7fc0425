"""Analyze one answer against a profile: features → signal scores → rule findings → verdict."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, NamedTuple

from storybank.analysis.dma import build_dma
from storybank.analysis.features import Features, extract_features
from storybank.analysis.lexicon import Lexicons, Matches
from storybank.analysis.report import Report, SignalResult
from storybank.analysis.rules import ActiveRule, Finding, active_rules
from storybank.analysis.signals import SCORERS, Context, SignalScore
from storybank.rubric.vocabulary import STORY_KINDS

if TYPE_CHECKING:
    from typing import Iterable

    from storybank.rubric.models import Profile, Rule


class CompiledProfile(NamedTuple):
    """What the analyzer derives from a profile before reading any answer."""

    lexicons: Lexicons
    rules: tuple[ActiveRule, ...]


_COMPILED: "OrderedDict[int, tuple[Profile, CompiledProfile]]" = OrderedDict()
_COMPILED_MAX = 16


def compiled_profile(profile: Profile) -> CompiledProfile:
    """The profile's lexicons and rules prepared once (profiles are immutable, so identity is a safe key)."""
    key = id(profile)
    cached = _COMPILED.get(key)
    if cached is not None and cached[0] is profile:
        _COMPILED.move_to_end(key)
        return cached[1]
    from storybank.rubric.loader import load_rules

    compiled = compile_profile(profile, load_rules().values())
    remember_compiled(profile, compiled)
    return compiled


def compile_profile(profile: Profile, rules: Iterable[Rule]) -> CompiledProfile:
    """Index the profile's lexicons and principle keywords, and resolve its rule overrides."""
    keywords = {principle_lexicon(p.name): p.keywords for p in profile.principles}
    return CompiledProfile(
        lexicons=Lexicons.compile({**profile.lexicons, **keywords}),
        rules=active_rules(rules, profile.rules),
    )


def remember_compiled(profile: Profile, compiled: CompiledProfile) -> None:
    """Use `compiled` for `profile` from now on (a compiled form read from the disk cache)."""
    _COMPILED[id(profile)] = (profile, compiled)
    _COMPILED.move_to_end(id(profile))
    while len(_COMPILED) > _COMPILED_MAX:
        _COMPILED.popitem(last=False)


def compiled_lexicons(profile: Profile) -> Lexicons:
    """The profile's lexicons, compiled once."""
    return compiled_profile(profile).lexicons


def principle_lexicon(name: str) -> str:
    """Name of the lexicon holding a principle's keywords."""
    return f"principle:{name}"


def detect_kind(features: Features, matches: Matches) -> str:
    """Recognise failure, risk trade-off and conflict stories; everything else is an impact story."""
    text = features.text
    failure = (
        min(3, len({span.text.lower() for span in features.spans("failure_event")}))
        + 2 * len(matches.find("failure_story_markers"))
        + 2 * features.has("post_mortem")
        + features.has("recovery_time")
    )
    if failure >= 4 or (failure >= 3 and _failure_in_opening(features)):
        return "failure"
    risk = 2 * len(features.spans("named_rule")) + len(matches.find("generic_risk")) + min(
        2, len(matches.find("risk_context"))
    )
    early_rule = any(features.sentence_index(span.start) < 2 for span in features.spans("named_rule"))
    if risk >= 4 or (early_rule and risk >= 3) or matches.has("generic_risk"):
        return "risk"
    if len(matches.find("conflict_terms")) >= 2:
        return "conflict"
    return "impact"


def _failure_in_opening(features: Features) -> bool:
    if not features.sentences:
        return False
    first = features.sentences[0]
    return any(first.start <= span.start < first.end for span in features.spans("failure_event"))


def verdict_for(features: Features, signals: dict[str, SignalResult], score: float, profile: Profile) -> str:
    """Decisive: owned decision + quantified outcome + money, alignment or a quantified rule trade-off."""
    owned = (features.has("owned_decision") or features.has("first_person_action")) and signals["ownership"].score >= 0.5
    quantified = bool(features.impact_quantities)
    if not owned or not quantified or score <= profile.verdict.nice_talk_max_score:
        return "nice-talk"
    extra = (
        signals["dollar_value"].score >= 0.6
        or signals["alignment"].score >= 0.6
        or (features.has("named_rule") and features.has("quantified_tradeoff"))
    )
    return "decisive" if extra and score >= profile.verdict.decisive_min_score else "developing"


def _principle_scores(profile: Profile, signals: dict[str, SignalResult], matches: Matches) -> dict[str, float]:
    scores = {}
    for principle in profile.principles:
        weights = {name: w for name, w in principle.signals.items() if name in signals}
        total = sum(weights.values()) or 1.0
        value = sum(signals[name].score * w for name, w in weights.items()) / total
        if matches.has(principle_lexicon(principle.name)):
            value += 0.1
        scores[principle.name] = round(min(1.0, value), 3)
    return scores


def _apply_penalties(raw: dict[str, SignalScore], findings: list[tuple[Finding, float]]) -> dict[str, float]:
    scores = {name: result.score for name, result in raw.items()}
    for finding, penalty in findings:
        if finding.signal in scores:
            scores[finding.signal] = max(0.0, scores[finding.signal] - penalty)
    return scores


def analyze_text(text: str, profile: Profile, kind: str = "auto") -> Report:
    """The whole analysis of one answer. Pure: same input, same output."""
    if kind != "auto" and kind not in STORY_KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected auto or one of: {', '.join(STORY_KINDS)}")
    compiled = compiled_profile(profile)
    matches = compiled.lexicons.match(text)
    features = extract_features(text, matches)
    story_kind = detect_kind(features, matches) if kind == "auto" else kind
    ctx = Context(text=text, features=features, matches=matches, profile=profile, kind=story_kind)
    active = [name for name in profile.signals if name != "failure_recovery" or story_kind == "failure"]
    raw = {name: SCORERS[name](ctx) for name in active}

    penalised: list[tuple[Finding, float]] = []
    for active_rule in compiled.rules:
        if active_rule.rule.signal in raw:
            penalised += [(finding, active_rule.penalty) for finding in active_rule.findings(ctx)]
    scores = _apply_penalties(raw, penalised)
    signals = {
        name: SignalResult(round(scores[name], 3), profile.signals[name].weight, raw[name].evidence) for name in active
    }
    total_weight = sum(result.weight for result in signals.values()) or 1.0
    score = round(100 * sum(r.score * r.weight for r in signals.values()) / total_weight, 1)
    findings = sorted({f for f, _ in penalised}, key=lambda f: (f.start, f.end, f.rule))
    return Report(
        profile=profile.name,
        kind=story_kind,
        score=score,
        verdict=verdict_for(features, signals, score, profile),
        words=features.word_count,
        speaking_seconds=round(features.word_count / profile.speaking_rate_wpm * 60, 1),
        signals=signals,
        findings=findings,
        quantities=features.quantities,
        principles=_principle_scores(profile, signals, matches),
        dma=build_dma(features, profile.speaking_rate_wpm, profile.limits.opening_seconds),
    )
