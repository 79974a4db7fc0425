"""The guided builder's assembly: DMA order, metric-first opening, placeholders for skipped
parts, and never a number the user did not type."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storybank.analysis.builder import PART_KEYS, assemble, clean_part, part_specs, parts_for

FULL = {
    "decision": "move refunds to an instant-credit flow",
    "kpi": "Refund tickets fell 35 %",
    "usd_value": "$540k a year in support cost",
    "functions": "finance, risk and engineering",
    "time_to_ship": "7 weeks",
}
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def test_a_full_impact_story_reads_decision_metric_alignment() -> None:
    built = assemble(FULL, "impact")
    decision = built.answer.index("I decided to move refunds")
    metric = built.answer.index("refund tickets fell 35 %")
    alignment = built.answer.index("I aligned finance, risk and engineering")
    assert decision < metric < alignment
    assert built.missing == () and "[" not in built.answer
    assert built.opening_line.startswith("Refund tickets fell 35 %, worth $540k a year in support cost")


def test_the_opening_leads_with_the_metric_and_fits_45_seconds() -> None:
    built = assemble(FULL, "impact")
    assert built.opening_seconds(150) <= 45


def test_skipped_parts_become_visible_placeholders() -> None:
    built = assemble({"decision": "I killed the loyalty tier", "kpi": "churn fell 4 %"}, "impact")
    assert "[USD value?]" in built.answer and "[USD value?]" in built.opening_line
    assert "[functions aligned?]" in built.answer and "[time to ship?]" in built.answer
    assert built.missing == ("usd_value", "functions", "time_to_ship")
    assert built.answer.startswith("I killed the loyalty tier.")


def test_risk_and_failure_stories_ask_for_their_own_parts() -> None:
    assert "rule_tradeoff" in [p.key for p in parts_for("risk")]
    assert {"dip", "recovery_time", "prevention"} <= {p.key for p in parts_for("failure")}
    assert "dip" not in [p.key for p in parts_for("impact")]
    assert [p.key for p in parts_for("failure")][:2] == ["dip", "decision"]
    risk = assemble({**FULL, "rule_tradeoff": "GDPR limited the data we could keep"}, "risk")
    assert "GDPR limited the data we could keep" in risk.answer
    failure = assemble(
        {"dip": "a pricing change cut conversion 11 %", "decision": "reverted the change", "recovery_time": "2 days",
         "prevention": "added a conversion alarm", "usd_value": "$90k a week"},
        "failure",
    )
    assert failure.answer.startswith("A pricing change cut conversion 11 %.")
    assert "I owned the post-mortem and reverted the change." in failure.answer
    assert "within 2 days" in failure.answer and "I added a conversion alarm" in failure.answer
    assert failure.opening_line.startswith("After a pricing change cut conversion 11 %")


def test_decisions_in_other_grammatical_forms() -> None:
    assert assemble({"decision": "Replaced the quote cache"}).answer.startswith("I replaced the quote cache.")
    assert assemble({"decision": "I chose to delay the launch."}).answer.startswith("I chose to delay the launch.")


def test_unknown_parts_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown builder parts: mood"):
        assemble({"mood": "great"})


def test_every_part_explains_what_strong_looks_like() -> None:
    assert [p.key for p in part_specs()] == list(PART_KEYS)
    for spec in part_specs():
        assert spec.question and spec.strong and spec.example and spec.placeholder.startswith("[")


part_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(parts=st.dictionaries(st.sampled_from(PART_KEYS), part_text), kind=st.sampled_from(["impact", "failure", "risk", "other"]))
def test_never_a_number_the_user_did_not_type(parts: dict[str, str], kind: str) -> None:
    built = assemble(parts, kind)
    typed = " ".join(parts.values())
    for output in (built.answer, built.opening_line):
        for number in NUMBER.findall(output):
            assert number in typed
    for key in built.missing:
        assert not clean_part(parts.get(key, ""))


def test_a_profile_rewords_a_question_and_a_placeholder(tmp_path) -> None:
    from storybank.rubric.loader import load_profile_file

    overlay = tmp_path / "mine.yaml"
    overlay.write_text(
        "extends: binance\n"
        "builder:\n"
        "  parts:\n"
        "    decision: {question: Which call was yours alone?}\n"
        "    usd_value: {placeholder: '[dollars?]'}\n",
        encoding="utf-8",
    )
    profile = load_profile_file(overlay)
    questions = {spec.key: spec.question for spec in parts_for("impact", profile)}
    assert questions["decision"] == "Which call was yours alone?"
    assert questions["kpi"] == {spec.key: spec.question for spec in parts_for("impact")}["kpi"]
    assert "[dollars?]" in assemble({"decision": "I killed the loyalty tier"}, "impact", profile).answer


def test_a_placeholder_with_a_digit_is_refused(tmp_path) -> None:
    from storybank.rubric.loader import ProfileError, load_profile_file

    overlay = tmp_path / "mine.yaml"
    overlay.write_text("extends: binance\nbuilder:\n  parts:\n    kpi: {placeholder: '[up 10 %?]'}\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"builder\.parts\.kpi\.placeholder"):
        load_profile_file(overlay)


def test_a_profile_rewords_the_joining_sentences(tmp_path) -> None:
    from storybank.rubric.loader import load_profile_file

    overlay = tmp_path / "mine.yaml"
    overlay.write_text(
        "extends: binance\n"
        "builder:\n"
        "  assembly:\n"
        "    opening: {impact: '{kpi:upper} because {decision_clause}.'}\n"
        "    answer:\n"
        "      impact:\n"
        "        - text: '{decision_clause}, and {kpi:lower}.'\n"
        "        - {text: 'Worth {usd_value}.', when: usd_value}\n",
        encoding="utf-8",
    )
    profile = load_profile_file(overlay)
    built = assemble({"decision": "I killed the loyalty tier", "kpi": "Churn fell 3 %"}, "impact", profile)
    assert built.answer == "I killed the loyalty tier, and churn fell 3 %."
    assert built.opening_line == "Churn fell 3 % because I killed the loyalty tier."
    assert built.missing == ()  # the sentence naming the skipped USD value was left out, not filled
    failure = assemble({"dip": "sign-ups fell 9 %"}, "failure", profile)
    assert failure.answer.startswith("Sign-ups fell 9 %. I owned the post-mortem")  # the base profile's failure words


@pytest.mark.parametrize(
    ("sentence", "error"),
    [("'{budget}'", r"builder\.assembly\.answer\.impact\.0\.text.*unknown placeholder \{budget\}"),
     ("'{kpi:title}'", r"builder\.assembly\.answer\.impact\.0\.text.*only formats are :lower and :upper")],
)
def test_a_joining_sentence_with_an_unknown_placeholder_is_refused(tmp_path, sentence, error) -> None:
    from storybank.rubric.loader import ProfileError, load_profile_file

    overlay = tmp_path / "mine.yaml"
    overlay.write_text(f"extends: binance\nbuilder:\n  assembly:\n    answer:\n      impact:\n        - text: {sentence}\n",
                       encoding="utf-8")
    with pytest.raises(ProfileError, match=error):
        load_profile_file(overlay)
