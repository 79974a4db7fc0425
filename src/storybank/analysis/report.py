"""The analyzer's result: a plain value whose `to_dict()` is the stable JSON contract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from storybank.analysis.dma import Dma
from storybank.analysis.quantities import Quantity
from storybank.analysis.rules import Finding
from storybank.analysis.text import Span


class SignalResult(NamedTuple):
    """A signal's final score (after rule penalties), its weight and its evidence."""

    score: float
    weight: float
    evidence: list[Span]

    def to_dict(self) -> dict:
        """JSON form of one entry of `signals`."""
        return {"score": self.score, "weight": self.weight, "evidence": [span.to_dict() for span in self.evidence]}


@dataclass(frozen=True)
class Report:
    """Everything the analyzer says about one answer."""

    profile: str
    kind: str
    score: float
    verdict: str
    words: int
    speaking_seconds: float
    signals: dict[str, SignalResult]
    findings: list[Finding]
    quantities: list[Quantity]
    principles: dict[str, float]
    dma: Dma

    def to_dict(self) -> dict:
        """SPEC's analyzer JSON object, keys in contract order."""
        return {
            "profile": self.profile,
            "kind": self.kind,
            "score": self.score,
            "verdict": self.verdict,
            "words": self.words,
            "speaking_seconds": self.speaking_seconds,
            "signals": {name: result.to_dict() for name, result in self.signals.items()},
            "findings": [finding.to_dict() for finding in self.findings],
            "quantities": [quantity.to_dict() for quantity in self.quantities],
            "principles": dict(self.principles),
            "dma": self.dma.to_dict(),
        }

    def weakest_signal(self) -> str:
        """The signal with the lowest score; ties go to the higher-weighted signal."""
        return min(self.signals, key=lambda name: (self.signals[name].score, -self.signals[name].weight))
