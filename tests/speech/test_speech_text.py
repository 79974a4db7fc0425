"""Recognised words → analysable text: sentences at pauses, digits for spoken numbers, and
character spans that map back to when each word was said (no audio)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storybank.practice.delivery import Transcript, Word
from storybank.practice.spoken_text import build_spoken_text, cased_words, read_number, spoken_number_digits

ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def spell_below_thousand(number: int) -> list[str]:
    """English words for 1..999 (as a recogniser writes them)."""
    words = []
    if number >= 100:
        words += [ONES[number // 100], "hundred"]
        number %= 100
    if number >= 20:
        words.append(TENS[number // 10])
        number %= 10
        if number:
            words.append(ONES[number])
    elif number:
        words.append(ONES[number])
    return words


def spell(number: int) -> list[str]:
    """English words for 1..999,999,999."""
    words = []
    for scale, name in ((1_000_000, "million"), (1_000, "thousand")):
        if number >= scale:
            words += spell_below_thousand(number // scale) + [name]
            number %= scale
    return words + (spell_below_thousand(number) if number else [])


def transcript_of(text: str, gaps: dict[int, float] | None = None) -> Transcript:
    """Words 0.3 s long with 0.05 s between them; `gaps` puts a longer silence before word i."""
    words, clock = [], 0.2
    for index, token in enumerate(text.split()):
        clock += (gaps or {}).get(index, 0.05)
        words.append(Word(token, round(clock, 2), round(clock + 0.3, 2)))
        clock += 0.3
    return Transcript(tuple(words), clock + 0.2, "test")


@pytest.mark.parametrize(
    ("spoken", "digits"),
    [
        ("thirty one", "31"),
        ("four point three", "4.3"),
        ("two million", "2 million"),
        ("two point five million", "2.5 million"),
        ("one hundred twenty thousand", "120 thousand"),
        ("one million two hundred thousand", "1,200,000"),
        ("three hundred", "300"),
    ],
)
def test_spoken_numbers_become_digits(spoken, digits):
    words = spoken.split()
    length = read_number(words, 0)
    assert spoken_number_digits(words[:length]) == digits


def test_single_number_words_stay_words_the_analyzer_reads_them():
    assert read_number(["four", "weeks"], 0) == 0
    assert read_number(["one", "weekly", "review"], 0) == 0
    assert read_number(["four", "point", "of", "view"], 0) == 0
    assert read_number(["nineteen", "ninety"], 0) == 0  # two numbers in a row, not one


@settings(max_examples=300, deadline=None)
@given(st.integers(21, 999_999_999).filter(lambda n: len(spell(n)) >= 2))
def test_every_spelled_number_reads_back(number):
    words = spell(number) + ["users"]
    length = read_number(words, 0)
    assert length == len(words) - 1
    digits = spoken_number_digits(words[:length])
    if digits.endswith(("thousand", "million")):
        value, scale = digits.split()
        assert float(value) * {"thousand": 1e3, "million": 1e6}[scale] == number
    else:
        assert int(digits.replace(",", "")) == number


def test_sentences_end_at_pauses_and_i_is_capitalised():
    transcript = transcript_of("i decided to cut latency by thirty one percent we shipped in four weeks", gaps={9: 0.6})
    spoken = build_spoken_text(transcript, sentence_pause_s=0.3)
    assert spoken.text == "I decided to cut latency by 31 percent. We shipped in four weeks."


def test_rule_names_get_their_proper_case_so_the_analyzer_finds_them():
    cased = cased_words(["=AML", "=MiCA", "=AML-KYC", "travel rule", "=QA", "=lower", "=Two Words"])
    assert cased == {"aml": "AML", "mica": "MiCA", "aml-kyc": "AML-KYC", "qa": "QA"}
    transcript = transcript_of("aml checks stayed so i accepted a two percent drop under mica")
    spoken = build_spoken_text(transcript, sentence_pause_s=0.3, cased=cased)
    assert spoken.text == "AML checks stayed so I accepted a two percent drop under MiCA."


def test_a_spoken_rule_name_counts_as_a_named_rule():
    from storybank.practice.speech import report_from_transcript

    said = "i kept the aml screening and accepted two percent less volume to keep fines at zero"
    report = report_from_transcript(transcript_of(said), "binance")
    assert "AML" in report.spoken.text
    assert report.content.signals["risk_awareness"].score >= 0.5


def test_spans_map_back_to_word_times():
    transcript = transcript_of("i decided to cut latency by thirty one percent")
    spoken = build_spoken_text(transcript, sentence_pause_s=0.3)
    offset = spoken.text.index("31")
    thirty = next(word for word in transcript.words if word.text == "thirty")
    assert spoken.time_at(offset) == thirty.start
    assert spoken.time_at(offset + 1) == thirty.start
    assert spoken.time_at(0) == transcript.words[0].start
    assert spoken.time_at(len(spoken.text) + 5) is None


def test_punctuated_transcripts_are_kept_as_written():
    words = (Word("I", 0.0, 0.2), Word("cut", 0.2, 0.5), Word("latency", 0.5, 1.0), Word("31%.", 1.0, 1.8))
    spoken = build_spoken_text(Transcript(words, 2.0, "test", punctuated=True), 0.3)
    assert spoken.text == "I cut latency 31%."
    assert spoken.time_at(spoken.text.index("31")) == 1.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("i we decided thirty one point five million users percent cut by two hundred".split()), max_size=30))
def test_every_character_maps_to_a_word_in_order(tokens):
    transcript = transcript_of(" ".join(tokens))
    spoken = build_spoken_text(transcript, 0.3)
    times = [spoken.time_at(offset) for offset in range(len(spoken.text))]
    known = [t for t in times if t is not None]
    assert known == sorted(known)
    assert len(spoken.pieces) <= len(tokens)
    covered = sorted(index for piece in spoken.pieces for index in range(piece.first_word, piece.last_word + 1))
    assert covered == list(range(len(tokens)))
