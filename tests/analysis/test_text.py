"""Text helpers: the trie alternation must match exactly what a longest-first alternation matches."""

import re

from hypothesis import given
from hypothesis import strategies as st

from storybank.analysis.text import _ASCII_WORD_RUNS, _WORD_RUNS, one_of

WORDS = st.lists(st.text(alphabet="abc -.", min_size=1, max_size=5), min_size=1, max_size=12)


def longest_first(words):
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def test_one_of_shares_prefixes():
    assert one_of(["user", "users", "seven", "seventy"]) == "(?:user(?:s)?|seven(?:ty)?)"


@given(WORDS, st.text(alphabet="abc -.", max_size=12), st.sampled_from(["", r"(?![\w])", "c"]))
def test_one_of_matches_like_a_longest_first_alternation(words, text, tail):
    trie = re.compile(f"(?:{one_of(words)}){tail}", re.IGNORECASE)
    plain = re.compile(f"(?:{longest_first(words)}){tail}", re.IGNORECASE)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_words_are_the_unicode_words(text):
    assert _ASCII_WORD_RUNS.split(text) == _WORD_RUNS.split(text)
