"""Lexicon matching: each lexicon's matches come in text order and never overlap, which the
range queries rely on."""

from hypothesis import given
from hypothesis import strategies as st

from storybank.analysis.lexicon import Lexicons

LEXICONS = Lexicons.compile(
    {
        "team": ["we", "the team", "our team", "team"],
        "cut": ["cut", "cut costs", "cut*", "cost*"],
        "so": ["so,", "so"],
        "acronym": ["=AML", "aml rule"],
    }
)
WORDS = ["we", "the", "team", "our", "cut", "costs", "cutting", "so", "so,", "AML", "aml", "rule", "drop-off", "x"]
TEXTS = st.lists(st.sampled_from(WORDS), max_size=20).map(" ".join)


@given(TEXTS)
def test_matches_are_ordered_and_never_overlap(text):
    for spans in LEXICONS.match(text).spans.values():
        assert all(earlier.end <= later.start for earlier, later in zip(spans, spans[1:]))


@given(TEXTS, st.integers(0, 60), st.integers(0, 60))
def test_range_queries_agree_with_a_plain_filter(text, start, end):
    matches = LEXICONS.match(text)
    for name, spans in matches.spans.items():
        inside = [span for span in spans if start <= span.start and span.end <= end]
        assert matches.find(name, start, end) == inside
        assert matches.has(name, start, end) == bool(inside)


def test_a_possessive_names_the_word_itself():
    lexicons = Lexicons.compile({"rules": ["=MiCA", "GDPR"], "customers": ["customer"], "subjects": ["it"]})
    matches = lexicons.match("Under MiCA’s reporting rules and GDPR's limits, the customer's refund came first.")
    assert [span.text for span in matches.find("rules")] == ["MiCA", "GDPR"]
    assert [span.text for span in matches.find("customers")] == ["customer"]


def test_a_contraction_keeps_its_s():
    matches = Lexicons.compile({"subjects": ["it", "that"]}).match("It's done and that's final.")
    assert matches.find("subjects") == []
