"""Match a profile's lexicons (lists of terms) against an answer's words.

Term syntax: whole words, case-insensitive; a space or hyphen in a term matches any space or
hyphen between words (the guide writes `AML‑KYC` with a no-break hyphen); a trailing `*` matches
any word ending; a leading `=` makes the term case-sensitive (acronyms such as `=AML`); a final
punctuation mark (`so,`) must follow the last word.

The answer is split into words once; every lexicon is then matched in a single pass with
dictionary lookups, which keeps the analyzer fast enough to run on every keystroke.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter, or_
from typing import NamedTuple

from storybank.analysis.text import HYPHENS, SPACES, Span, spans_of_runs, word_runs

_HYPHEN_SET = set(HYPHENS)
_TERM_GAP = re.compile(f"[{re.escape(SPACES + HYPHENS)}]+")
_start_of = itemgetter(0)
_new_span = tuple.__new__  # builds Span tuples without the named-tuple constructor's overhead
_JOINERS = set(SPACES + HYPHENS + "\n\r")
_NORMALISE = str.maketrans({"’": "'", "\u2010": "-", "\u2011": "-"})


@dataclass(frozen=True)
class Term:
    """One lexicon entry, split into the words it must match."""

    lexicon: str
    words: tuple[str, ...]
    case_sensitive: bool = False
    prefix: bool = False
    trailing: str = ""

    simple: bool = False
    second_word: str | None = None

    def __post_init__(self) -> None:
        # One case-insensitive whole word: the first-word lookup alone decides the match.
        object.__setattr__(self, "simple", len(self.words) == 1 and not self.prefix and not self.case_sensitive)
        if len(self.words) > 1 and not self.case_sensitive and not (self.prefix and len(self.words) == 2):
            object.__setattr__(self, "second_word", self.words[1])


def parse_term(lexicon: str, raw: str) -> Term | None:
    """Read the term syntax into a Term (None for a term with no words)."""
    case_sensitive = raw.startswith("=")
    body = raw[1:] if case_sensitive else raw
    prefix = body.endswith("*")
    body = body.rstrip("*")
    trailing = ""
    while body and not body[-1].isalnum():
        trailing = body[-1] + trailing
        body = body[:-1]
    parts = [w.translate(_NORMALISE) for w in _TERM_GAP.split(body) if w]
    if not parts:
        return None
    if not case_sensitive:
        parts = [part.lower() for part in parts]
    return Term(lexicon, tuple(parts), case_sensitive, prefix, trailing.strip())


class FirstWord(NamedTuple):
    """The terms that start with one word, in the order the matcher tries them."""

    by_second: dict[str, list[Term]]  # terms keyed by their second word, longest first
    others: list[Term]  # every other term that needs checking, longest first
    # lexicons whose only one-word term here is this bare word: the word alone is the match
    simple_lexicons: tuple[str, ...]

    @classmethod
    def of(cls, by_second: dict[str, list[Term]], others: list[Term]) -> "FirstWord":
        longest_first = lambda term: len(term.words)  # noqa: E731
        for group in by_second.values():
            group.sort(key=longest_first, reverse=True)
        one_word = [term for term in others if len(term.words) == 1]
        per_lexicon = Counter(term.lexicon for term in one_word)
        bare = [term for term in one_word if term.simple and not term.trailing and per_lexicon[term.lexicon] == 1]
        rest = [term for term in others if term not in bare]
        return cls(by_second, sorted(rest, key=longest_first, reverse=True), tuple(term.lexicon for term in bare))


@dataclass
class Lexicons:
    """Every lexicon of a profile, indexed by first word for single-pass matching."""

    names: frozenset[str] = frozenset()
    terms: dict[str, frozenset[str]] = field(default_factory=dict)
    by_first_word: dict[str, FirstWord] = field(default_factory=dict)
    prefix_terms: list[Term] = field(default_factory=list)

    @classmethod
    def compile(cls, lexicons: dict[str, list[str]]) -> "Lexicons":
        """Index every named lexicon."""
        by_first: dict[str, tuple[dict[str, list[Term]], list[Term]]] = {}
        prefixes: list[Term] = []
        for name, raw_terms in lexicons.items():
            for raw in raw_terms:
                term = parse_term(name, raw)
                if term is None:
                    continue
                if term.prefix and len(term.words) == 1:
                    prefixes.append(term)
                    continue
                by_second, others = by_first.setdefault(term.words[0].lower(), ({}, []))
                if term.second_word is not None:
                    by_second.setdefault(term.second_word, []).append(term)
                else:
                    others.append(term)
        return cls(
            names=frozenset(lexicons),
            terms={name: frozenset(t.lstrip("=").lower() for t in terms) for name, terms in lexicons.items()},
            by_first_word={word: FirstWord.of(*terms) for word, terms in by_first.items()},
            prefix_terms=prefixes,
        )

    def match(self, text: str) -> "Matches":
        """All lexicon matches in `text`, computed once."""
        return Matches.build(self, text)


@dataclass
class Matches:
    """Lexicon matches of one text, queried by lexicon name and character range."""

    text: str
    lexicons: Lexicons
    spans: dict[str, list[Span]]
    words: list[Span] = field(default_factory=list)
    word_starts: list[int] = field(default_factory=list)
    _starts: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, lexicons: Lexicons, text: str) -> "Matches":
        """Match every lexicon over the text's words in one pass."""
        runs = word_runs(text)
        words = spans_of_runs(runs)
        tokens = words  # (start, end, text); only apostrophes need normalising, and only in `lowered`
        if "’" in text:
            tokens = [Span(w.start, w.end, w.text.translate(_NORMALISE)) for w in words]
            lowered = [token[2].lower() for token in tokens]
        else:
            lowered = list(map(str.lower, runs.texts))
        spans = _match_words(lexicons, text, words, tokens, lowered, _hyphen_joined_words(runs.gaps))
        starts = {name: list(map(_start_of, found)) for name, found in spans.items()}
        return cls(text=text, lexicons=lexicons, spans=spans, words=words, word_starts=runs.starts, _starts=starts)

    def find(self, name: str, start: int = 0, end: int | None = None) -> list[Span]:
        """Matches of lexicon `name` that lie inside [start, end)."""
        spans = self.spans.get(name)
        if not spans:
            return []
        if start == 0 and end is None:
            return list(spans)
        stop = len(self.text) if end is None else end
        starts = self._starts[name]
        low = bisect_left(starts, start)
        found = spans[low:bisect_left(starts, stop, low)]
        # A lexicon's matches never overlap, so only the last ones can cross `stop`.
        while found and found[-1].end > stop:
            found.pop()
        return found

    def has(self, name: str, start: int = 0, end: int | None = None) -> bool:
        """Whether lexicon `name` matches inside [start, end)."""
        spans = self.spans.get(name)
        if not spans:
            return False
        stop = len(self.text) if end is None else end
        low = bisect_left(self._starts[name], start)
        # Matches never overlap: if the first one starting in range does not fit, none does.
        return low < len(spans) and spans[low].end <= stop


def _match_at(text: str, tokens: list, lowered: list[str], index: int, term: Term) -> int | None:
    """End offset of `term` matched at token `index`, or None."""
    count = len(term.words)
    if index + count > len(tokens):
        return None
    for offset, expected in enumerate(term.words):
        position = index + offset
        actual = tokens[position][2] if term.case_sensitive else lowered[position]
        if term.prefix and offset == count - 1:
            if not actual.startswith(expected):
                return None
        elif actual != expected:
            return None
        if offset and not _only_joiners(text, tokens[position - 1][1], tokens[position][0]):
            return None
    start, end = tokens[index][0], tokens[index + count - 1][1]
    if _hyphen_joined(text, start - 1, -1) or _hyphen_joined(text, end, 1):
        return None  # one half of a hyphenated compound: "drop" is not in "drop-off"
    if term.trailing:
        if not text.startswith(term.trailing, end):
            return None
        end += len(term.trailing)
    return end


def _match_words(
    lexicons: Lexicons, text: str, words: list[Span], tokens: list, lowered: list[str], joined: list[bool]
) -> dict[str, list[Span]]:
    """Every lexicon's matches, each lexicon's in text order and never overlapping each other."""
    spans: defaultdict[str, list[Span]] = defaultdict(list)
    free_from: dict[str, int] = {}  # lexicon → first word index not covered by its last match
    prefix_terms = lexicons.prefix_terms
    entries = list(map(lexicons.by_first_word.get, lowered))
    count = len(tokens)
    # Only words that start a term need a look, unless a prefix term (`manag*`) may start anywhere.
    for index in range(count) if prefix_terms else compress(range(count), entries):
        entry = entries[index]
        if entry:
            by_second, others, simple_lexicons = entry
            following = by_second.get(lowered[index + 1]) if by_second and index + 1 < count else None
            for term in following + others if following else others:
                name = term.lexicon
                if free_from.get(name, 0) > index:  # also skips a second match at this word
                    continue
                if term.simple:
                    if joined[index]:
                        continue
                    start, end = tokens[index][0], tokens[index][1]
                    if term.trailing:
                        if not text.startswith(term.trailing, end):
                            continue
                        end += len(term.trailing)
                else:
                    start = tokens[index][0]
                    end = _match_at(text, tokens, lowered, index, term)
                    if end is None:
                        continue
                free_from[name] = index + len(term.words)
                spans[name].append(_new_span(Span, (start, end, text[start:end])))
            if simple_lexicons and not joined[index]:
                # Tried last, as the shortest; the word's own span is the match in each lexicon.
                for name in simple_lexicons:
                    if free_from.get(name, 0) <= index:
                        spans[name].append(words[index])
        for term in prefix_terms:
            if free_from.get(term.lexicon, 0) <= index and lowered[index].startswith(term.words[0]):
                start, end = tokens[index][0], tokens[index][1]
                found = spans[term.lexicon]
                if not found or found[-1].start != start:  # another term of the lexicon took this word
                    found.append(_new_span(Span, (start, end, text[start:end])))
    return dict(spans)


def _hyphen_joined_words(gaps: list[str]) -> list[bool]:
    """For each word, whether a hyphen joins it to the word before or after it ("drop-off")."""
    joins = list(map(_HYPHEN_SET.__contains__, gaps))  # a gap of exactly one hyphen
    return list(map(or_, [False, *joins], [*joins, False]))


def _hyphen_joined(text: str, position: int, direction: int) -> bool:
    """Whether text[position] is a hyphen with a letter or digit on its far side."""
    neighbour = position + direction
    return 0 <= position < len(text) and 0 <= neighbour < len(text) and text[position] in _HYPHEN_SET and text[neighbour].isalnum()


def _only_joiners(text: str, start: int, end: int) -> bool:
    return start < end and all(character in _JOINERS for character in text[start:end])
