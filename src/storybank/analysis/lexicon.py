"""Compile a profile's lexicons (lists of terms) into fast regular expressions.

Term syntax: whole-word and case-insensitive; a space or hyphen in a term matches any space or
hyphen (the guide writes `AML‑KYC` with a no-break hyphen); a trailing `*` matches any word
ending; a leading `=` makes the term case-sensitive (acronyms such as `=AML`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storybank.analysis.text import HYPHENS, SPACES, Span

_GAP = f"[{re.escape(SPACES + HYPHENS)}\\n]+"
_APOSTROPHE = "['’]"
_HYPHEN = f"[{re.escape(HYPHENS)}]"


def _term_pattern(term: str) -> str:
    body = term[:-1] if term.endswith("*") else term
    parts = []
    for character in body:
        if character in SPACES or character in HYPHENS:
            parts.append("\x00")
        elif character in "'’":
            parts.append(_APOSTROPHE)
        else:
            parts.append(re.escape(character))
    pattern = re.sub("(\x00)+", lambda _: _GAP, "".join(parts))
    if term.endswith("*"):
        pattern += r"\w*"
    # Whole words only, and not one half of a hyphenated compound ("drop" is not in "drop-off").
    prefix = rf"(?<![\w])(?<!\w{_HYPHEN})" if body[:1].isalnum() else ""
    suffix = rf"(?![\w])(?!{_HYPHEN}\w)" if (term.endswith("*") or body[-1:].isalnum()) else ""
    return f"{prefix}{pattern}{suffix}"


def compile_terms(terms: list[str]) -> re.Pattern[str] | None:
    """One alternation for all terms, longest first so `rolled back` beats `rolled`."""
    insensitive = sorted({t for t in terms if not t.startswith("=")}, key=len, reverse=True)
    sensitive = sorted({t[1:] for t in terms if t.startswith("=")}, key=len, reverse=True)
    branches = [_term_pattern(t) for t in sensitive] + [f"(?i:{_term_pattern(t)})" for t in insensitive]
    if not branches:
        return None
    return re.compile("|".join(branches))


@dataclass
class Lexicons:
    """A profile's lexicons, compiled once and reused for every answer."""

    patterns: dict[str, re.Pattern[str] | None] = field(default_factory=dict)
    terms: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def compile(cls, lexicons: dict[str, list[str]]) -> "Lexicons":
        """Compile every named lexicon."""
        return cls(
            patterns={name: compile_terms(terms) for name, terms in lexicons.items()},
            terms={name: frozenset(t.lstrip("=").lower() for t in terms) for name, terms in lexicons.items()},
        )

    def find(self, name: str, text: str, start: int = 0, end: int | None = None) -> list[Span]:
        """Every match of lexicon `name` inside text[start:end]."""
        pattern = self.patterns.get(name)
        if pattern is None:
            return []
        stop = len(text) if end is None else end
        return [Span(m.start(), m.end(), m.group()) for m in pattern.finditer(text, start, stop)]

    def has(self, name: str, text: str, start: int = 0, end: int | None = None) -> bool:
        """Whether lexicon `name` matches anywhere inside text[start:end]."""
        pattern = self.patterns.get(name)
        if pattern is None:
            return False
        return pattern.search(text, start, len(text) if end is None else end) is not None
