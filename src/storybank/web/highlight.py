"""Turn a report's findings (character spans) into the segments the editor's overlay draws.

The overlay mirrors the textarea character for character, so the segments cover the whole
text in order; a segment covered by several findings takes the most severe one's colour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
PLACEHOLDER = re.compile(r"\[[^\[\]]{1,80}\]")


@dataclass
class Segment:
    """A run of text and the findings (by index) that cover it."""

    text: str
    findings: list[int] = field(default_factory=list)
    severity: str | None = None


def highlight_segments(text: str, findings: list[dict[str, Any]]) -> list[Segment]:
    """Split `text` at every finding boundary; concatenating the segments gives `text` back."""
    spans = [
        (index, max(0, int(item["start"])), min(len(text), int(item["end"])))
        for index, item in enumerate(findings)
        if int(item["end"]) > int(item["start"])
    ]
    boundaries = sorted({0, len(text)} | {start for _, start, _ in spans} | {end for _, _, end in spans})
    segments: list[Segment] = []
    for left, right in zip(boundaries, boundaries[1:]):
        if right <= left:
            continue
        covering = [index for index, start, end in spans if start <= left and end >= right]
        severity = max((findings[i]["severity"] for i in covering), key=SEVERITY_RANK.get, default=None)
        if segments and segments[-1].findings == covering:
            segments[-1].text += text[left:right]
        else:
            segments.append(Segment(text[left:right], covering, severity))
    return segments


def split_placeholders(line: str) -> list[tuple[str, bool]]:
    """Split an opening line into (text, is_placeholder) pieces, e.g. "[your KPI]" → True."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in PLACEHOLDER.finditer(line):
        if match.start() > position:
            pieces.append((line[position : match.start()], False))
        pieces.append((match.group(), True))
        position = match.end()
    if position < len(line):
        pieces.append((line[position:], False))
    return pieces


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The change from `before` to `after` word by word, as ("same" | "del" | "ins", text) runs.

    Words and the whitespace between them are separate tokens. Joining the "same" and "ins"
    runs gives `after` back exactly; joining "same" and "del" gives `before`.
    """
    from difflib import SequenceMatcher

    old_words = re.findall(r"\S+|\s+", before)
    new_words = re.findall(r"\S+|\s+", after)
    runs: list[tuple[str, str]] = []
    matcher = SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            runs.append(("same", "".join(new_words[new_start:new_end])))
            continue
        if old_end > old_start:
            runs.append(("del", "".join(old_words[old_start:old_end])))
        if new_end > new_start:
            runs.append(("ins", "".join(new_words[new_start:new_end])))
    return runs
