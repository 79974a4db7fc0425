"""Follow-up probes: which one to ask after an answer, how to judge the reply, and the drill's
closing summary.

The probe targets the answer's weakest signal (`Report.weakest_signal()`: the lowest score,
ties to the higher weight). A reply is judged on what the probe `wants` (analyzer features such
as a named rule and a quantified trade-off) and, for short-answer probes, on its length.
Pure: reports and profiles come in as values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storybank.practice.bank_models import PracticeSettings, Probe
from storybank.practice.questions import probes_for
from storybank.rubric.models import Profile

if TYPE_CHECKING:
    from storybank.analysis.report import Report

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
RISK_AWARE_FEATURES = ("named_rule", "quantified_tradeoff")


def signals_weakest_first(signals: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Signal ids from the analyzer's JSON, lowest score first, ties to the higher weight."""
    return sorted(signals, key=lambda name: (signals[name]["score"], -signals[name]["weight"]))


def choose_probe(
    report: "Report", profile: Profile, asked_before: Mapping[str, int] | None = None
) -> Probe | None:
    """The probe for the answer's weakest signal that fits its story kind, least asked first.

    When the profile has no fitting probe for that signal, the next-weakest signal with one is
    used; None when the profile has no probes at all.
    """
    asked = asked_before or {}
    weakest = report.weakest_signal()
    ordered = [weakest] + [name for name in signals_weakest_first(report.to_dict()["signals"]) if name != weakest]
    for signal in ordered:
        candidates = probes_for(profile, signal, report.kind)
        if candidates:
            return min(candidates, key=lambda probe: asked.get(probe.id, 0))  # min keeps file order on ties
    return None


def reply_features(text: str, profile: Profile) -> dict[str, list[str]]:
    """The analyzer's features found in a reply, each with the words that show it."""
    from storybank.analysis.analyzer import compiled_lexicons
    from storybank.analysis.features import extract_features

    features = extract_features(text, compiled_lexicons(profile).match(text))
    return {name: [span.text for span in spans] for name, spans in features.found.items() if spans}


@dataclass(frozen=True)
class ProbeCheck:
    """How a reply answered its probe."""

    probe_id: str
    signal: str
    score_before: float | None
    score_after: float | None
    wants: tuple[dict[str, Any], ...]
    within_time: bool | None
    met: bool
    risk_aware: bool
    message: str

    def to_dict(self) -> dict[str, Any]:
        """The `probe_check` object of a drill's JSON."""
        return {
            "probe": self.probe_id,
            "signal": self.signal,
            "score_before": self.score_before,
            "score_after": self.score_after,
            "wants": [dict(item) for item in self.wants],
            "within_time": self.within_time,
            "met": self.met,
            "risk_aware": self.risk_aware,
            "message": self.message,
        }


def check_reply(
    probe: Probe,
    reply_analysis: Mapping[str, Any],
    features: Mapping[str, list[str]],
    settings: PracticeSettings,
    *,
    answer_analysis: Mapping[str, Any] | None = None,
    reply_seconds: float | None = None,
) -> ProbeCheck:
    """Judge a reply: every wanted feature present, and (for short-answer probes) short enough.

    A trade-off probe wants a named rule and a quantified trade-off; a reply carrying both is
    also counted as risk-aware for the readiness checklist, whatever the probe.
    """
    wants = tuple(
        {
            "feature": name,
            "label": settings.want_labels.get(name, name.replace("_", " ")),
            "met": bool(features.get(name)),
            "evidence": list(features.get(name, []))[:3],
        }
        for name in probe.wants
    )
    spoken = reply_seconds if reply_seconds is not None else float(reply_analysis.get("speaking_seconds", 0.0))
    within_time = None if probe.max_seconds is None else spoken <= probe.max_seconds
    met = all(item["met"] for item in wants) and within_time is not False
    missing = [item["label"] for item in wants if not item["met"]]
    if met:
        message = "The reply answers the probe."
    else:
        parts = []
        if missing:
            parts.append("missing " + "; ".join(missing))
        if within_time is False:
            parts.append(f"{spoken:.0f} s is over the {probe.max_seconds:.0f} s this probe allows")
        message = f"{'; '.join(parts).capitalize()}. {probe.hint}"
    return ProbeCheck(
        probe_id=probe.id,
        signal=probe.signal,
        score_before=_signal_score(answer_analysis, probe.signal),
        score_after=_signal_score(reply_analysis, probe.signal),
        wants=wants,
        within_time=within_time,
        met=met,
        risk_aware=all(features.get(name) for name in RISK_AWARE_FEATURES),
        message=message,
    )


def _signal_score(analysis: Mapping[str, Any] | None, signal: str) -> float | None:
    if not analysis:
        return None
    entry = analysis.get("signals", {}).get(signal)
    return None if entry is None else float(entry["score"])


# --- the closing summary ---------------------------------------------------------------------


def biggest_gain(analysis: Mapping[str, Any]) -> str | None:
    """The signal whose improvement would raise the score most (weight × what is missing)."""
    signals = analysis.get("signals", {})
    if not signals:
        return None
    return min(signals, key=lambda name: (-(signals[name]["weight"] * (1 - signals[name]["score"])), -signals[name]["weight"]))


def one_change(analysis: Mapping[str, Any], profile: Profile) -> dict[str, Any] | None:
    """The one change that would help most: the most costly signal and the fix for it."""
    signal = biggest_gain(analysis)
    if signal is None:
        return None
    entry = analysis["signals"][signal]
    if entry["score"] >= 1.0:
        return None
    findings = sorted(
        (finding for finding in analysis.get("findings", []) if finding["signal"] == signal),
        key=lambda finding: (SEVERITY_ORDER.get(finding["severity"], 3), finding["start"]),
    )
    if findings:
        message, rule = findings[0]["hint"], findings[0]["rule"]
    else:
        probe = next((p for p in profile.probes if p.signal == signal), None)
        message, rule = (probe.hint if probe else f"Strengthen {signal.replace('_', ' ')}."), None
    label = profile.signals[signal].label if signal in profile.signals else signal
    points = round(100 * entry["weight"] * (1 - entry["score"]) / _total_weight(analysis), 1)
    return {"signal": signal, "label": label, "message": message, "rule": rule, "points": points}


def _total_weight(analysis: Mapping[str, Any]) -> float:
    return sum(entry["weight"] for entry in analysis.get("signals", {}).values()) or 1.0


def drill_summary(
    analysis: Mapping[str, Any],
    profile: Profile,
    *,
    probe_signal: str | None,
    check: ProbeCheck | None,
    timings: Mapping[str, Any],
) -> dict[str, Any]:
    """The end of a drill: scores, the one change that would help most, the opening line."""
    return {
        "score": analysis["score"],
        "verdict": analysis["verdict"],
        "kind": analysis["kind"],
        "signals": {name: entry["score"] for name, entry in analysis["signals"].items()},
        "weakest_signal": probe_signal,
        "one_change": one_change(analysis, profile),
        "opening_line": analysis.get("dma", {}).get("opening_line"),
        "probe_met": None if check is None else check.met,
        "over_time": bool(timings.get("over_time")),
    }
