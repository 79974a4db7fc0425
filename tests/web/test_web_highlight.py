"""The overlay's segments, the opening line's placeholders and the history's word diff."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storybank.web.highlight import SEVERITY_RANK, highlight_segments, split_placeholders, word_diff

SEVERITIES = list(SEVERITY_RANK)


@st.composite
def text_and_findings(draw):
    text = draw(st.text(max_size=80))
    findings = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        findings.append({"start": start, "end": end, "severity": draw(st.sampled_from(SEVERITIES))})
    return text, findings


@given(text_and_findings())
def test_segments_put_the_text_back_together_exactly(case):
    text, findings = case
    segments = highlight_segments(text, findings)
    assert "".join(segment.text for segment in segments) == text


@given(text_and_findings())
def test_each_character_is_covered_by_exactly_the_findings_whose_span_holds_it(case):
    text, findings = case
    position = 0
    for segment in highlight_segments(text, findings):
        for offset in range(len(segment.text)):
            index = position + offset
            expected = [i for i, item in enumerate(findings) if item["start"] <= index < item["end"]]
            assert segment.findings == expected
        if segment.findings:
            worst = max((findings[i]["severity"] for i in segment.findings), key=SEVERITY_RANK.get)
            assert segment.severity == worst
        else:
            assert segment.severity is None
        position += len(segment.text)


def test_overlapping_findings_take_the_most_severe_colour():
    text = "We helped the team ship it."
    findings = [
        {"start": 0, "end": 18, "severity": "info"},
        {"start": 3, "end": 9, "severity": "error"},
    ]
    segments = highlight_segments(text, findings)
    assert [(s.text, s.severity) for s in segments] == [
        ("We ", "info"),
        ("helped", "error"),
        (" the team", "info"),
        (" ship it.", None),
    ]


def test_spans_past_the_end_are_clipped_and_empty_ones_ignored():
    segments = highlight_segments("short", [{"start": 2, "end": 99, "severity": "warning"}, {"start": 1, "end": 1, "severity": "error"}])
    assert [(s.text, s.findings) for s in segments] == [("sh", []), ("ort", [0])]


def test_placeholders_are_split_out_of_the_opening_line():
    pieces = split_placeholders("Cut latency [KPI and change?], worth [USD value?].")
    assert pieces == [
        ("Cut latency ", False),
        ("[KPI and change?]", True),
        (", worth ", False),
        ("[USD value?]", True),
        (".", False),
    ]


@given(st.text(max_size=120))
def test_placeholder_pieces_rebuild_the_line(line):
    assert "".join(piece for piece, _ in split_placeholders(line)) == line


words = st.lists(st.sampled_from(["I", "decided", "cut", "27 %", "$1.3 M", "we", "\n", "  ", "shipped."]), max_size=20)


@given(words, words)
def test_word_diff_rebuilds_both_versions(before_words, after_words):
    before, after = " ".join(before_words), " ".join(after_words)
    runs = word_diff(before, after)
    assert "".join(text for kind, text in runs if kind != "del") == after
    assert "".join(text for kind, text in runs if kind != "ins") == before


def test_word_diff_marks_only_the_changed_words():
    runs = word_diff("I cut latency 27 % in 5 weeks.", "I cut latency 31 % in 5 weeks.")
    assert ("del", "27") in runs and ("ins", "31") in runs
    assert [kind for kind, _ in runs].count("same") == 2
