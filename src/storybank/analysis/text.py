"""Sentences and words with exact character offsets into the input text."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

# Hyphen-like and space-like characters the guide's text uses (non-breaking, narrow, en dash …).
HYPHENS = "\u002d\u2010\u2011\u2012\u2013\u2014\u2212"
SPACES = " \u00a0\u2009\u202f\u2007\u2002\u2003\t"
HYPHEN_CLASS = f"[{re.escape(HYPHENS)}]"
SPACE_CLASS = f"[{re.escape(SPACES)}]"

# "drop-off" is two spoken words. Possessive (++, *+): a word never gives letters back, which spares
# the regex engine its backtracking bookkeeping.
WORD_RE = re.compile(r"[^\W_]++(?:['’][^\W_]++)*+")
_WORD_RUNS = re.compile(f"({WORD_RE.pattern})")
# The same words in ASCII text, where ranges are cheaper for the regex engine than letter classes.
_ASCII_WORD_RUNS = re.compile(r"([A-Za-z0-9]++(?:'[A-Za-z0-9]++)*+)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")
_LINE_START_MARK = re.compile(r"^[ \t]*(?:[-*•]|\d+[.)])[ \t]+")


def one_of(words: list[str] | tuple[str, ...] | set[str]) -> str:
    """A regex alternation of literal `words` that tries longer words first, as a trie.

    It matches exactly what `a|b|…` sorted longest first matches, but the regex engine reads each
    letter once instead of trying every word in turn, which matters for long lists such as units.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    branches = [re.escape(character) + _trie_pattern(child) for character, child in node.items() if character]
    if not branches:
        return ""
    if "" in node:  # a word ends here: longer words first, then stop
        return f"(?:{'|'.join(branches)})?"
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


class Span(NamedTuple):
    """A half-open range of character offsets, with the text it covers."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        """JSON form used in evidence lists."""
        return {"start": self.start, "end": self.end, "text": self.text}


class Runs(NamedTuple):
    """The matches of a pattern in a text: their texts and offsets, and the text between them."""

    texts: list[str]
    starts: list[int]
    ends: list[int]
    gaps: list[str]  # gaps[i] lies between match i and match i + 1


def find_runs(pattern: re.Pattern[str], text: str) -> Runs:
    """Every match of `pattern`, which must be one capturing group that never matches empty.

    One `split` keeps the matches at odd positions and running lengths give their offsets, so no
    match object is built per word: most of the cost of reading an answer's hundreds of words.
    """
    pieces = pattern.split(text)
    offsets = list(accumulate(map(len, pieces)))
    return Runs(pieces[1::2], offsets[0:-1:2], offsets[1::2], pieces[2:-1:2])


def word_runs(text: str) -> Runs:
    """The words of `text` (as `words` finds them) with their offsets and the text between them."""
    return find_runs(_ASCII_WORD_RUNS if text.isascii() else _WORD_RUNS, text)


@lru_cache(maxsize=1)
def _punkt():
    import nupunkt

    return nupunkt


def split_sentences(text: str) -> list[Span]:
    """Split into sentences with exact offsets; line breaks between items also end a sentence."""
    sentences: list[Span] = []
    for block_start, block_end in _blocks(text):
        block = text[block_start:block_end]
        if not block.strip():
            continue
        for start, end in _punkt().sent_spans(block):
            sentences.extend(_trimmed(text, block_start + start, block_start + end))
    return sentences


def _blocks(text: str) -> list[tuple[int, int]]:
    """Lines are blocks: a line break never sits inside one sentence of an interview answer,
    except a soft wrap in the middle of a sentence, which we rejoin."""
    blocks: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"\n", text):
        end = match.start()
        line = text[start:end].rstrip()
        following = text[match.end():match.end() + 1]
        soft_wrap = line and line[-1] not in ".!?:;\"”)" and following and following.islower()
        if not soft_wrap:
            blocks.append((start, end))
            start = match.end()
    blocks.append((start, len(text)))
    return blocks


def _trimmed(text: str, start: int, end: int) -> list[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    marker = _LINE_START_MARK.match(text, start, end)
    if marker and marker.end() < end:
        start = marker.end()
    return [Span(start, end, text[start:end])]


def words(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Words (letters and digits, with inner hyphens/apostrophes) inside text[start:end]."""
    stop = len(text) if end is None else end
    return [Span(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text, start, stop)]


def spans_of(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Every non-empty match of `pattern` inside text[start:end], as spans."""
    stop = len(text) if end is None else end
    return [Span(m.start(), m.end(), m.group()) for m in pattern.finditer(text, start, stop) if m.end() > m.start()]


def count_words(text: str) -> int:
    """Number of words as a speaker would say them."""
    return len(WORD_RE.findall(text))


def opening_end(text: str) -> int:
    """End offset of the opening: the first paragraph (the whole answer if it has one)."""
    match = _PARAGRAPH_BREAK.search(text.strip() and text or "")
    stripped_end = len(text.rstrip())
    if match and text[: match.start()].strip():
        return len(text[: match.start()].rstrip())
    return stripped_end
