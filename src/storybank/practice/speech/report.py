"""From a recording (or a finished transcript) to one report: delivery metrics, targets, and
the usual content analysis of the transcript, flagged approximate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storybank.practice.delivery import (
    DeliveryCheck,
    DeliveryMetrics,
    Transcript,
    check_delivery,
    measure_delivery,
)
from storybank.practice.models import DeliveryTargets
from storybank.practice.speech.audio import AudioSource, InvalidAudio, decode_audio, source_label
from storybank.practice.speech.backends import SpeechBackend, default_backend
from storybank.practice.spoken_text import SpokenText, build_spoken_text, cased_words
from storybank.rubric.loader import ProfileError, resolve_profile
from storybank.rubric.models import Profile

StageProgress = Callable[[str, float], None]
IMPACT_SIGNALS = ("quantified_impact", "dollar_value")
METRIC_KINDS = ("percent", "money", "multiple")
APPROXIMATE_NOTE = (
    "Analysis of an automatic transcript: misheard words, missing punctuation and sentence "
    "breaks guessed from pauses make every score approximate."
)


@dataclass(frozen=True)
class SpeechReport:
    """Everything storybank reports about one spoken answer."""

    profile: str
    transcript: Transcript
    spoken: SpokenText
    metrics: DeliveryMetrics
    first_metric_s: float | None
    content: Any  # the analyzer's Report for the transcript
    targets: DeliveryTargets
    checks: list[DeliveryCheck] = field(default_factory=list)

    @property
    def analysis(self) -> dict[str, Any]:
        """The analyzer's JSON for the transcript, flagged approximate."""
        return analysis_dict(self.content)

    @property
    def text(self) -> str:
        """The transcript as analysed (sentences, digits); analysis spans index into it."""
        return self.spoken.text

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `storybank speak --json`."""
        m = self.metrics
        return {
            "duration_s": m.duration_s,
            "speaking_s": m.speaking_s,
            "words": m.words,
            "wpm": m.wpm,
            "wpm_speaking": m.wpm_speaking,
            "wpm_series": [{"start": p.start, "end": p.end, "wpm": p.wpm} for p in m.wpm_series],
            "pauses": [{"start": p.start, "end": p.end} for p in m.pauses],
            "fillers": [{"text": f.text, "start": f.start, "approximate": f.approximate} for f in m.fillers],
            "first_metric_s": self.first_metric_s,
            "transcript": self.spoken.text,
            "analysis": self.analysis,
        }


def analysis_dict(content: Any) -> dict[str, Any]:
    """The analyzer's JSON plus `approximate: true` and the reason."""
    return {**content.to_dict(), "approximate": True, "approximate_note": APPROXIMATE_NOTE}


def delivery_targets(profile: Profile) -> DeliveryTargets:
    """The profile's delivery targets, or a ProfileError naming the missing section."""
    if profile.delivery is None:
        raise ProfileError(f"profile {profile.name!r} has no delivery: section (extend base, or add one)")
    return profile.delivery


def first_metric_time(analysis: dict[str, Any], spoken: SpokenText) -> float | None:
    """When the first impact metric was said: the earliest quantity the analyzer counts as
    impact (or, failing that, the earliest percentage, amount of money or multiple)."""
    evidence = [
        (span["start"], span["end"])
        for signal in IMPACT_SIGNALS
        for span in analysis.get("signals", {}).get(signal, {}).get("evidence", [])
    ]
    quantities = analysis.get("quantities", [])
    impact = [q for q in quantities if any(q["start"] < end and start < q["end"] for start, end in evidence)]
    chosen = impact or [q for q in quantities if q["kind"] in METRIC_KINDS]
    if not chosen:
        return None
    return spoken.time_at(min(q["start"] for q in chosen))


def report_from_transcript(transcript: Transcript, profile: "str | Path | Profile" = "binance", label: str = "audio") -> SpeechReport:
    """Measure and analyse a finished transcript against a profile."""
    from storybank import analyze

    resolved = resolve_profile(profile)
    targets = delivery_targets(resolved)
    if not transcript.words:
        raise InvalidAudio(f"{label}: no speech recognised; speak closer to the microphone or check the recording")
    lexicon_terms = [term for terms in resolved.lexicons.values() for term in terms]
    keywords = [keyword for principle in resolved.principles for keyword in principle.keywords]
    spoken = build_spoken_text(transcript, targets.sentence_pause_s, cased_words([*lexicon_terms, *keywords]))
    metrics = measure_delivery(transcript, targets)
    content = analyze(spoken.text, resolved)
    first_metric = first_metric_time(content.to_dict(), spoken)
    first_metric = None if first_metric is None else round(first_metric, 2)
    return SpeechReport(
        profile=resolved.name,
        transcript=transcript,
        spoken=spoken,
        metrics=metrics,
        first_metric_s=first_metric,
        content=content,
        targets=targets,
        checks=check_delivery(metrics, first_metric, targets),
    )


def analyze_speech(
    source: AudioSource,
    profile: "str | Path | Profile" = "binance",
    backend: SpeechBackend | None = None,
    progress: StageProgress | None = None,
) -> SpeechReport:
    """Decode a WAV/FLAC/OGG file (path, bytes or binary stream), transcribe it offline, and
    report delivery and content. Raises InvalidAudio for unusable audio.

    `progress(stage, fraction)` is called with stage "decoding", then "transcribing".
    """
    resolved = resolve_profile(profile)
    targets = delivery_targets(resolved)
    label = source_label(source)
    stage = (lambda name: (lambda fraction: progress(name, fraction))) if progress else (lambda name: None)
    samples = decode_audio(source, targets.max_recording_s, stage("decoding"))
    speech = backend or default_backend()
    transcript = speech.transcribe(samples, stage("transcribing"))
    return report_from_transcript(transcript, resolved, label)
