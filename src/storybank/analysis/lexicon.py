"""Match a profile's lexicons (lists of terms) against an answer's words.

Term syntax: whole words, case-insensitive; a space or hyphen in a term matches any space or
hyphen between words (the guide writes `AML‑KYC` with a no-break hyphen); a trailing `*` matches
any word ending; a leading `=` makes the term case-sensitive (acronyms such as `=AML`); a final
punctuation mark (`so,`) must follow the last word. A possessive 's in the answer is not part of
the word ("MiCA's rules" matches `=MiCA`).

The answer is split into words once; every lexicon is then matched in a single pass with
dictionary lookups, which keeps the analyzer fast enough to run on every keystroke.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter
from typing import Iterable, NamedTuple

from storybank.analysis.text import HYPHENS, SPACES, Span, word_runs

_HYPHEN_SET = set(HYPHENS)
_TERM_GAP = re.compile(f"[{re.escape(SPACES + HYPHENS)}]+")
_start_of = itemgetter(0)
_new_span = tuple.__new__  # builds Span tuples without the named-tuple constructor's overhead
_JOINERS = SPACES + HYPHENS + "\n\r"
# Words whose 's is "is" or "has", not a possessive.
_CONTRACTION_STEMS = frozenset(
    "it that there here what who he she let where how when why this everything nothing something "
    "everyone someone everybody somebody nobody one".split()
)
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


_longest_first = lambda term: -len(term.words)  # noqa: E731


class FirstWord(NamedTuple):
    """The terms that start with one word and are not found by their first two words."""

    others: list[Term]  # every term that needs checking, longest first
    # lexicons whose only one-word term here is this bare word: the word alone is the match
    simple_lexicons: tuple[str, ...]

    @classmethod
    def of(cls, terms: list[Term]) -> "FirstWord":
        one_word = [term for term in terms if len(term.words) == 1]
        per_lexicon = Counter(term.lexicon for term in one_word)
        bare = [term for term in one_word if term.simple and not term.trailing and per_lexicon[term.lexicon] == 1]
        rest = [term for term in terms if term not in bare]
        return cls(sorted(rest, key=_longest_first), tuple(term.lexicon for term in bare))


_NO_TERMS = FirstWord([], ())


@dataclass
class Lexicons:
    """Every lexicon of a profile, indexed by first word (and first two words) for single-pass matching."""

    names: frozenset[str] = frozenset()
    terms: dict[str, frozenset[str]] = field(default_factory=dict)
    by_first_word: dict[str, FirstWord] = field(default_factory=dict)
    by_first_two_words: dict[tuple[str, str], list[Term]] = field(default_factory=dict)  # longest first
    prefix_terms: list[Term] = field(default_factory=list)

    @classmethod
    def compile(cls, lexicons: dict[str, list[str]]) -> "Lexicons":
        """Index every named lexicon."""
        by_first: dict[str, list[Term]] = {}
        by_two: dict[tuple[str, str], list[Term]] = {}
        prefixes: list[Term] = []
        for name, raw_terms in lexicons.items():
            for raw in raw_terms:
                term = parse_term(name, raw)
                if term is None:
                    continue
                if term.prefix and len(term.words) == 1:
                    prefixes.append(term)
                elif term.second_word is not None:
                    by_two.setdefault((term.words[0], term.second_word), []).append(term)
                else:
                    by_first.setdefault(term.words[0].lower(), []).append(term)
        return cls(
            names=frozenset(lexicons),
            terms={name: frozenset(t.lstrip("=").lower() for t in terms) for name, terms in lexicons.items()},
            by_first_word={word: FirstWord.of(terms) for word, terms in by_first.items()},
            by_first_two_words={words: sorted(terms, key=_longest_first) for words, terms in by_two.items()},
            prefix_terms=prefixes,
        )

    def match(self, text: str) -> "Matches":
        """All lexicon matches in `text`, computed once."""
        return Matches.build(self, text)


class Words(NamedTuple):
    """An answer's words with their offsets, as the matcher reads them."""

    texts: list[str]  # as written, with curly apostrophes straightened and a possessive 's dropped
    lowered: list[str]
    starts: list[int]
    ends: list[int]  # where each word ends, before a possessive 's
    gaps: list[str]  # gaps[i] lies between word i and word i + 1

    @classmethod
    def of(cls, text: str) -> "Words":
        """Split `text` into words once."""
        runs = word_runs(text)
        texts, ends = runs.texts, runs.ends
        if "’" in text:
            texts = [word.translate(_NORMALISE) for word in texts]
        if "'" in text or "’" in text:
            texts, ends = _without_possessives(texts, ends)
        return cls(texts, list(map(str.lower, texts)), runs.starts, ends, runs.gaps)


def _without_possessives(texts: list[str], ends: list[int]) -> tuple[list[str], list[int]]:
    """"MiCA's reporting rules" names MiCA: a possessive 's is not part of the word a lexicon
    matches. Contractions ("it's", "that's") keep theirs."""
    stems, stem_ends = list(texts), list(ends)
    for index, word in enumerate(texts):
        if len(word) > 2 and word[-2:] in ("'s", "'S") and word[:-2].lower() not in _CONTRACTION_STEMS:
            stems[index] = word[:-2]
            stem_ends[index] -= 2
    return stems, stem_ends


@dataclass
class Matches:
    """Lexicon matches of one text, queried by lexicon name and character range."""

    text: str
    lexicons: Lexicons
    spans: dict[str, list[Span]]
    words: Words
    _starts: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, lexicons: Lexicons, text: str) -> "Matches":
        """Match every lexicon over the text's words in one pass."""
        words = Words.of(text)
        spans = _match_words(lexicons, text, words)
        starts = {name: list(map(_start_of, found)) for name, found in spans.items()}
        return cls(text=text, lexicons=lexicons, spans=spans, words=words, _starts=starts)

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


def _match_at(text: str, words: Words, index: int, term: Term) -> int | None:
    """End offset of `term` matched at word `index`, or None."""
    last = index + len(term.words) - 1
    if last >= len(words.starts):
        return None
    actual = tuple((words.texts if term.case_sensitive else words.lowered)[index:last + 1])
    if term.prefix:
        if actual[:-1] != term.words[:-1] or not actual[-1].startswith(term.words[-1]):
            return None
    elif actual != term.words:
        return None
    gaps = words.gaps
    if any(gap.strip(_JOINERS) for gap in gaps[index:last]):
        return None  # the words must be joined by spaces or hyphens only
    if (index and gaps[index - 1] in _HYPHEN_SET) or (last < len(gaps) and gaps[last] in _HYPHEN_SET):
        return None  # one half of a hyphenated compound: "drop" is not in "drop-off"
    end = words.ends[last]
    if term.trailing:
        if not text.startswith(term.trailing, end):
            return None
        end += len(term.trailing)
    return end


def _match_words(lexicons: Lexicons, text: str, words: Words) -> dict[str, list[Span]]:
    """Every lexicon's matches, each lexicon's in text order and never overlapping each other."""
    spans: defaultdict[str, list[Span]] = defaultdict(list)
    free_from: dict[str, int] = {}  # lexicon → first word index not covered by its last match
    prefix_terms = lexicons.prefix_terms
    lowered, starts, ends = words.lowered, words.starts, words.ends
    joined = _hyphen_joined_words(words.gaps)
    firsts = list(map(lexicons.by_first_word.get, lowered))
    pairs = [*map(lexicons.by_first_two_words.get, zip(lowered, lowered[1:])), None]
    count = len(lowered)
    # Only words that start a term need a look, unless a prefix term (`manag*`) may start anywhere.
    if prefix_terms:
        indices: Iterable[int] = range(count)
    else:
        indices = sorted({*compress(range(count), firsts), *compress(range(count), pairs)})
    for index in indices:
        first, following = firsts[index], pairs[index]
        start = starts[index]
        if first or following:
            others, simple_lexicons = first or _NO_TERMS
            for term in following + others if following else others:
                name = term.lexicon
                if free_from.get(name, 0) > index:  # also skips a second match at this word
                    continue
                if term.simple:
                    if index in joined:
                        continue
                    end = ends[index]
                    if term.trailing:
                        if not text.startswith(term.trailing, end):
                            continue
                        end += len(term.trailing)
                else:
                    end = _match_at(text, words, index, term)
                    if end is None:
                        continue
                free_from[name] = index + len(term.words)
                spans[name].append(_new_span(Span, (start, end, text[start:end])))
            if simple_lexicons and index not in joined:
                # Tried last, as the shortest; the word's own span is the match in each lexicon.
                word = None
                for name in simple_lexicons:
                    if free_from.get(name, 0) <= index:
                        word = word or _new_span(Span, (start, ends[index], text[start:ends[index]]))
                        spans[name].append(word)
        for term in prefix_terms:
            if free_from.get(term.lexicon, 0) <= index and lowered[index].startswith(term.words[0]):
                found = spans[term.lexicon]
                if not found or found[-1].start != start:  # another term of the lexicon took this word
                    found.append(_new_span(Span, (start, ends[index], text[start:ends[index]])))
    return dict(spans)


def _hyphen_joined_words(gaps: list[str]) -> set[int]:
    """The indices of words a hyphen joins to the word before or after them ("drop-off")."""
    joins = list(compress(range(len(gaps)), map(_HYPHEN_SET.__contains__, gaps)))  # gaps of one hyphen
    return {*joins, *(index + 1 for index in joins)}
