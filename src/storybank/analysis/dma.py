"""Decision → Metric → Alignment: find the three parts, draft the opening line, reorder the answer.

Everything is copied from the answer's own sentences, so every number is the user's, character
for character; a missing part becomes a visible placeholder, never an invented figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storybank.analysis.features import Features
from storybank.analysis.text import count_words

# STAR scaffolding ("Situation:", "Action:") is dropped from the sentences DMA reuses.
_STAR_LABEL = re.compile(
    r"^(?:situation|task|action|actions|result|results|context|background|challenge|outcome|impact|"
    r"decision|metric|alignment)\s*[:\-–—]\s*",
    re.IGNORECASE,
)

PLACEHOLDERS = {
    "decision": "[the decision you owned: “I decided …”?]",
    "metric": "[headline metric: KPI, number and direction?]",
    "usd": "[USD value?]",
    "alignment": "[functions aligned, and time to ship?]",
}


@dataclass(frozen=True)
class Dma:
    """The DMA parts of an answer, its order, a drafted opening line and the reordered answer."""

    decision: str | None
    metric: str | None
    alignment: str | None
    order: list[str]
    opening_line: str
    rewrite: str

    def to_dict(self) -> dict:
        """JSON form (SPEC's `dma` object)."""
        return {
            "decision": self.decision,
            "metric": self.metric,
            "alignment": self.alignment,
            "order": list(self.order),
            "opening_line": self.opening_line,
            "rewrite": self.rewrite,
        }


def _sentence_with(features: Features, names: list[str]) -> int | None:
    for name in names:
        spans = features.spans(name)
        if spans:
            return features.sentence_index(spans[0].start)
    return None


def _alignment_sentence(features: Features) -> int | None:
    functions = {features.sentence_index(s.start) for s in features.spans("named_function")}
    for span in features.spans("alignment_action"):
        index = features.sentence_index(span.start)
        if index in functions:
            return index
    return _sentence_with(features, ["alignment_action", "delivery_time"])


def locate_parts(features: Features) -> dict[str, int | None]:
    """Sentence index of the decision, the metric and the alignment (None when missing)."""
    headline = features.headline
    return {
        "decision": _sentence_with(features, ["owned_decision", "first_person_action"]),
        "metric": features.sentence_index(headline.start) if headline else None,
        "alignment": _alignment_sentence(features),
    }


def answer_order(parts: dict[str, int | None], sentence_count: int) -> list[str]:
    """Labels of the answer's sentences in the order spoken, repeats collapsed."""
    order: list[str] = []
    for index in range(sentence_count):
        labels = [name for name in ("decision", "metric", "alignment") if parts[name] == index] or ["context"]
        for label in labels:
            if not order or order[-1] != label:
                order.append(label)
    return order


def _parts_in_order(features: Features, parts: dict[str, int | None], names: tuple[str, ...]) -> tuple[list[str], set[int]]:
    """The sentences of the named parts (a placeholder for a missing one), each sentence once."""
    pieces: list[str] = []
    used: set[int] = set()
    for name in names:
        index = parts[name]
        if index is None:
            pieces.append(PLACEHOLDERS[name])
        elif index not in used:
            pieces.append(sentence_text(features, index))
            used.add(index)
    return pieces, used


def sentence_text(features: Features, index: int) -> str:
    """A sentence as DMA reuses it: verbatim, minus any STAR label in front."""
    text = features.sentences[index].text
    label = _STAR_LABEL.match(text)
    return text[label.end():] if label else text


def draft_opening(features: Features, parts: dict[str, int | None], rate_wpm: float, budget_s: float) -> str:
    """Decision and metric first (and the money, if elsewhere), trimmed to the time budget."""
    chosen, used = _parts_in_order(features, parts, ("decision", "metric"))
    money = features.spans("usd_value")
    if not money:
        chosen.append(PLACEHOLDERS["usd"])
    elif not any(features.sentence_index(s.start) in used for s in money):
        chosen.append(sentence_text(features, features.sentence_index(money[0].start)))
    while len(chosen) > 1 and count_words(" ".join(chosen)) / rate_wpm * 60 > budget_s:
        chosen.pop()
    return " ".join(chosen)


def rewrite_answer(features: Features, parts: dict[str, int | None]) -> str:
    """The answer reordered Decision → Metric → Alignment, then the remaining context."""
    pieces, used = _parts_in_order(features, parts, ("decision", "metric", "alignment"))
    pieces += [sentence_text(features, index) for index in range(len(features.sentences)) if index not in used]
    return " ".join(pieces)


def build_dma(features: Features, rate_wpm: float, opening_budget_s: float) -> Dma:
    """All of the DMA view of one answer."""
    parts = locate_parts(features)
    text_of = lambda index: sentence_text(features, index) if index is not None else None  # noqa: E731
    return Dma(
        decision=text_of(parts["decision"]),
        metric=text_of(parts["metric"]),
        alignment=text_of(parts["alignment"]),
        order=answer_order(parts, len(features.sentences)),
        opening_line=draft_opening(features, parts, rate_wpm, opening_budget_s),
        rewrite=rewrite_answer(features, parts),
    )


__all__ = ["Dma", "PLACEHOLDERS", "build_dma", "locate_parts"]
