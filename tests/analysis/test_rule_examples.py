"""Every rule is tested on its own examples: each bad text is flagged by that rule at exactly
the declared span, and no good text is flagged by it."""

import pytest

from storybank.analysis.analyzer import analyze_text
from storybank.rubric import load_profile, load_rules

RULES = load_rules()
BAD = [(rule_id, i) for rule_id, rule in RULES.items() for i in range(len(rule.examples.bad))]
GOOD = [(rule_id, i) for rule_id, rule in RULES.items() for i in range(len(rule.examples.good))]


@pytest.fixture(scope="module")
def base_profile():
    return load_profile("base")


@pytest.mark.parametrize(("rule_id", "index"), BAD, ids=[f"{r}-bad{i}" for r, i in BAD])
def test_bad_example_is_flagged_at_the_declared_span(base_profile, rule_id, index):
    rule = RULES[rule_id]
    example = rule.examples.bad[index]
    report = analyze_text(example.text, base_profile, rule.examples.kind or "auto")
    start = example.text.index(example.flagged)
    spans = [(f.start, f.end) for f in report.findings if f.rule == rule_id]
    assert (start, start + len(example.flagged)) in spans, f"{rule_id} flagged {spans} in {example.text!r}"


@pytest.mark.parametrize(("rule_id", "index"), GOOD, ids=[f"{r}-good{i}" for r, i in GOOD])
def test_good_example_is_not_flagged(base_profile, rule_id, index):
    rule = RULES[rule_id]
    text = rule.examples.good[index]
    report = analyze_text(text, base_profile, rule.examples.kind or "auto")
    assert [f for f in report.findings if f.rule == rule_id] == []
