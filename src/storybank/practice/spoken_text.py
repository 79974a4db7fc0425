"""Turn recognised words into text the analyzer can read, remembering where each word went.

A recogniser like pocketsphinx writes lower-case words with no punctuation and spells numbers
out ("thirty one percent"). The analyzer wants sentences, a capital "I" and digits, so this
module joins the words, ends a sentence at each pause, writes multi-word numbers as digits
("31 percent", "2.5 million") and keeps, for every piece of the text, the words it came from:
a character span found by the analyzer maps back to the moment it was said.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from storybank.practice.delivery import Transcript, Word, in_order

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


@dataclass(frozen=True)
class Piece:
    """A stretch of the text [start, end) and the words [first_word, last_word] it came from."""

    start: int
    end: int
    first_word: int
    last_word: int


@dataclass(frozen=True)
class SpokenText:
    """The analysable text of a transcript and the map from its characters back to words."""

    text: str
    pieces: tuple[Piece, ...]
    words: tuple[Word, ...]

    def time_at(self, offset: int) -> float | None:
        """When the word at (or first after) character `offset` began, in seconds."""
        starts = [piece.start for piece in self.pieces]
        index = max(0, bisect_right(starts, offset) - 1)
        while index < len(self.pieces) and self.pieces[index].end <= offset:
            index += 1
        if index >= len(self.pieces):
            return None
        return self.words[self.pieces[index].first_word].start


@dataclass
class _Number:
    """A number being read from spoken words."""

    total: int = 0
    current: int = 0
    last: str = ""  # kind of the last word read: unit, teen, tens, hundred, scale, point, decimal
    largest_scale: int = 0
    scales_used: int = 0
    scale_word: str = ""
    scale_multiplier: int = 0
    decimals: str | None = None  # digits after "point"; None when there is no point

    def accepts(self, word: str) -> bool:
        """Whether `word` continues this number in ordinary English."""
        if self.decimals is not None:
            return number_after_point(word) or (word in SCALES and self.last == "decimal")
        if word in UNITS:
            value = UNITS[word]
            return self.last in ("", "hundred", "scale") or (self.last == "tens" and 0 < value < 10)
        if word in TENS:
            return self.last in ("", "hundred", "scale")
        if word == "hundred":
            return self.last in ("unit", "teen") and self.current < 100
        if word in SCALES:
            fresh = self.largest_scale == 0 or SCALES[word] < self.largest_scale
            return self.last in ("unit", "teen", "tens", "hundred") and fresh
        return word == "point" and self.last in ("unit", "teen", "tens") and not self.scales_used

    def read(self, word: str) -> None:
        """Add one accepted word."""
        if self.decimals is not None and word in UNITS:
            self.decimals += str(UNITS[word])
            self.last = "decimal"
        elif word in UNITS:
            self.current += UNITS[word]
            self.last = "unit" if UNITS[word] < 10 else "teen"
        elif word in TENS:
            self.current += TENS[word]
            self.last = "tens"
        elif word == "hundred":
            self.current *= 100
            self.last = "hundred"
        elif word in SCALES:
            self.total += self.current * SCALES[word]
            self.largest_scale = max(self.largest_scale, SCALES[word])
            self.scales_used += 1
            self.scale_word, self.scale_multiplier = word, self.current
            self.current = 0
            self.last = "scale"
        else:  # "point"
            self.decimals = ""
            self.last = "point"

    def digits(self) -> str:
        """The number written with digits; "2.5 million" keeps its single scale word."""
        fraction = f".{self.decimals}" if self.decimals else ""
        if self.last == "scale" and self.scales_used == 1:
            return f"{self.scale_multiplier}{fraction} {self.scale_word}"
        if fraction:
            return f"{self.current}{fraction}"
        value = self.total + self.current
        return f"{value:,}" if value >= 10_000 else str(value)


def read_number(words: list[str], start: int) -> int:
    """How many words from `start` form one spoken number worth rewriting (0 if fewer than 2)."""
    number = _Number()
    end = start
    while end < len(words) and number.accepts(words[end]):
        if words[end] == "point" and not (end + 1 < len(words) and number_after_point(words[end + 1])):
            break
        number.read(words[end])
        end += 1
    return end - start if end - start >= 2 else 0


def number_after_point(word: str) -> bool:
    """Whether `word` can follow "point" ("four point three")."""
    return word in UNITS and UNITS[word] < 10


def spoken_number_digits(words: list[str]) -> str:
    """Digits for a run of number words accepted by `read_number` ("thirty one" → "31")."""
    number = _Number()
    for word in words:
        number.read(word)
    return number.digits()


def cased_words(terms: Iterable[str]) -> dict[str, str]:
    """The spelling of case-sensitive one-word lexicon terms (`=AML`, `=MiCA`), keyed by their lower
    case: a recogniser writes "aml", and the analyzer only knows the rule as "AML"."""
    cased = {}
    for term in terms:
        word = term[1:].strip() if term.startswith("=") else ""
        if word and " " not in word and word != word.lower():
            cased[word.lower()] = word
    return cased


def _display(word: str, sentence_start: bool, cased: Mapping[str, str]) -> str:
    if word in cased:
        return cased[word]
    if word == "i" or word.startswith("i'"):
        word = "I" + word[1:]
    return word[:1].upper() + word[1:] if sentence_start else word


def build_spoken_text(
    transcript: Transcript, sentence_pause_s: float, cased: Mapping[str, str] | None = None
) -> SpokenText:
    """The transcript as sentences for the analyzer, with the map back to word timings; words in
    `cased` (see `cased_words`) are written in their proper case."""
    words = tuple(in_order(transcript.words))
    if transcript.punctuated:
        return _join_as_written(words)
    lowered = [word.text.lower() for word in words]
    parts: list[str] = []
    pieces: list[Piece] = []
    cursor, index, sentence_start = 0, 0, True
    while index < len(words):
        if index and words[index].start - words[index - 1].end >= sentence_pause_s and parts:
            parts[-1] += "."
            cursor += 1
            sentence_start = True
        length = read_number(lowered, index)
        if length:
            token = spoken_number_digits(lowered[index : index + length])
        else:
            length = 1
            token = _display(lowered[index], sentence_start, cased or {})
        if parts:
            cursor += 1  # the space before this token
        pieces.append(Piece(cursor, cursor + len(token), index, index + length - 1))
        parts.append(token)
        cursor += len(token)
        index += length
        sentence_start = False
    text = " ".join(parts)
    return SpokenText(text + "." if text else text, tuple(pieces), words)


def _join_as_written(words: tuple[Word, ...]) -> SpokenText:
    parts, pieces, cursor = [], [], 0
    for index, word in enumerate(words):
        token = word.text.strip()
        if parts:
            cursor += 1
        pieces.append(Piece(cursor, cursor + len(token), index, index))
        parts.append(token)
        cursor += len(token)
    return SpokenText(" ".join(parts), tuple(pieces), words)
