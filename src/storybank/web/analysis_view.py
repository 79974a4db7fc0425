"""What the editor's side panel and overlay show, built from a report's JSON and its profile."""

from __future__ import annotations

import re
from typing import Any

from storybank.rubric.models import Profile
from storybank.web.highlight import highlight_segments, split_placeholders

DMA_ORDER = ["decision", "metric", "alignment"]
WORD = re.compile(r"\S+")


def analyze_for_view(text: str, profile_name: str, kind: str = "auto") -> dict[str, Any]:
    """Analyze `text` and build the view; an empty text gives the empty panel."""
    import storybank
    from storybank.rubric.loader import load_profile

    profile = load_profile(profile_name)
    if not text.strip():
        return {"empty": True, "segments": highlight_segments(text, []), "profile": profile.name}
    report = storybank.analyze(text, profile, kind).to_dict()
    return analysis_view(report, profile, text)


def analysis_view(report: dict[str, Any], profile: Profile, text: str) -> dict[str, Any]:
    """The panel's data: verdict, score, signal bars, timing, DMA order, opening line, findings."""
    findings = [dict(item, quote=text[item["start"] : item["end"]], number=index + 1) for index, item in enumerate(report["findings"])]
    order = list(report["dma"].get("order") or [])
    return {
        "empty": False,
        "report": report,
        "profile": profile.name,
        "segments": highlight_segments(text, report["findings"]),
        "findings": findings,
        "signals": signal_rows(report, profile),
        "timing": timing(report, profile),
        "dma_order": order,
        "dma_in_order": [part for part in order if part in DMA_ORDER] == DMA_ORDER,
        "opening_pieces": split_placeholders(report["dma"].get("opening_line") or ""),
        "principles": sorted(report.get("principles", {}).items(), key=lambda pair: -pair[1]),
    }


def signal_rows(report: dict[str, Any], profile: Profile) -> list[dict[str, Any]]:
    """One bar per signal in the report, labelled as the profile labels it."""
    rows = []
    for signal_id, signal in report["signals"].items():
        spec = profile.signals.get(signal_id)
        score = float(signal["score"])
        rows.append(
            {
                "id": signal_id,
                "label": spec.label if spec else signal_id.replace("_", " "),
                "score": score,
                "percent": round(score * 100),
                "weight": signal.get("weight", 0.0),
                "level": "strong" if score >= 0.7 else "partial" if score >= 0.4 else "weak",
            }
        )
    return rows


def timing(report: dict[str, Any], profile: Profile) -> dict[str, Any]:
    """Speaking time of the whole answer and of the drafted opening, against their budgets."""
    opening_words = len(WORD.findall(report["dma"].get("opening_line") or ""))
    opening_seconds = opening_words / profile.speaking_rate_wpm * 60
    answer_seconds = float(report["speaking_seconds"])
    return {
        "answer_seconds": round(answer_seconds),
        "answer_budget": round(profile.limits.answer_seconds),
        "answer_percent": min(100, round(answer_seconds / profile.limits.answer_seconds * 100)),
        "answer_over": answer_seconds > profile.limits.answer_seconds,
        "opening_seconds": round(opening_seconds),
        "opening_budget": round(profile.limits.opening_seconds),
        "opening_percent": min(100, round(opening_seconds / profile.limits.opening_seconds * 100)),
        "opening_over": opening_seconds > profile.limits.opening_seconds,
        "answer_vs_opening_percent": min(100, round(answer_seconds / profile.limits.opening_seconds * 100)),
        "answer_over_opening": answer_seconds > profile.limits.opening_seconds,
    }
