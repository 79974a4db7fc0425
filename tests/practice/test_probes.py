"""Probe selection (the probe's signal is the answer's weakest), reply checks, and the summary."""

from __future__ import annotations

import pytest

import storybank
from storybank.practice.probes import check_reply, choose_probe, drill_summary, one_change, reply_features
from storybank.rubric import load_profile
from storybank.rubric.models import SignalSpec

ANSWERS = [
    "We had a compliance issue and the team fixed it quickly. Everyone was happy.",
    "I decided to rebuild onboarding. Conversion rose 18 % and revenue grew $2M.",
    "At my last company we had a slow checkout. I decided to redesign it and cut drop-off 12 % in 6 weeks with design and engineering.",
    "Our launch caused a 12 % DAU dip. I owned the post-mortem and we learned a lesson.",
    "I chose to keep the AML check, which kept 92 % of volume and avoided $1.1M in fines; I aligned compliance and engineering and shipped in 3 weeks.",
]


@pytest.mark.parametrize("answer", ANSWERS)
@pytest.mark.parametrize("profile_name", ["binance", "generic-pm", "amazon"])
def test_the_probe_tests_the_answers_weakest_signal(answer: str, profile_name: str) -> None:
    profile = load_profile(profile_name)
    report = storybank.analyze(answer, profile=profile)
    probe = choose_probe(report, profile)
    assert probe is not None and probe.signal == report.weakest_signal()
    assert probe.fits(report.kind)


def test_a_failure_story_weak_on_recovery_gets_a_failure_recovery_probe() -> None:
    profile = load_profile("binance")
    answer = (
        "I decided to ship the futures hedge; it failed and caused a 12 % DAU dip and $2M loss, so I kept the AML "
        "rule and kept 90 % of volume. I aligned risk and engineering in 2 weeks; churn rose 3 %."
    )
    report = storybank.analyze(answer, profile=profile, kind="failure")
    assert report.weakest_signal() == "failure_recovery"
    probe = choose_probe(report, profile)
    assert probe.signal == "failure_recovery" and probe.kinds == ["failure"]
    impact_report = storybank.analyze(answer, profile=profile, kind="impact")
    assert choose_probe(impact_report, profile).signal != "failure_recovery"


def test_ties_go_to_the_higher_weighted_signal() -> None:
    profile = load_profile("binance")
    report = storybank.analyze(ANSWERS[0], profile=profile)
    lowest = min(result.score for result in report.signals.values())
    tied = [name for name, result in report.signals.items() if result.score == lowest]
    assert len(tied) >= 2
    for favourite in tied:
        signals = dict(profile.signals)
        signals[favourite] = SignalSpec(weight=10.0, label=signals[favourite].label)
        boosted = profile.model_copy(update={"signals": signals})
        assert choose_probe(storybank.analyze(ANSWERS[0], profile=boosted), boosted).signal == favourite


def test_the_least_asked_probe_of_a_signal_comes_next() -> None:
    profile = load_profile("binance")
    report = storybank.analyze(ANSWERS[0], profile=profile)
    first = choose_probe(report, profile)
    second = choose_probe(report, profile, {first.id: 1})
    assert second.signal == first.signal and second.id != first.id


def _check(probe_id: str, reply: str, profile_name: str = "binance", seconds: float | None = None):
    profile = load_profile(profile_name)
    probe = next(p for p in profile.probes if p.id == probe_id)
    analysis = storybank.analyze(reply, profile=profile).to_dict()
    return check_reply(probe, analysis, reply_features(reply, profile), profile.practice, reply_seconds=seconds)


def test_a_trade_off_probe_wants_a_named_rule_and_a_quantified_trade_off() -> None:
    good = _check("bn-probe-trade-offs", "I kept the AML travel rule check, which kept 92 % of volume and avoided $1.1M in fines.")
    assert good.met and good.risk_aware
    assert {item["feature"]: item["met"] for item in good.wants} == {"named_rule": True, "quantified_tradeoff": True}
    rule_only = _check("bn-probe-trade-offs", "We had to respect KYC, so we slowed the launch down.")
    assert not rule_only.met and not rule_only.risk_aware
    assert "the trade-off in numbers" in rule_only.message and "quantify" in rule_only.message
    vague = _check("bn-probe-trade-offs", "We balanced risk and speed.")
    assert not vague.met and "the specific rule" in vague.message


def test_a_short_answer_probe_checks_the_time() -> None:
    short = _check("bn-probe-thirty-seconds", "I decided to cut fees; churn fell 4 %.", seconds=12)
    assert short.met and short.within_time
    slow = _check("bn-probe-thirty-seconds", "I decided to cut fees; churn fell 4 %.", seconds=48)
    assert not slow.met and slow.within_time is False and "48 s is over the 30 s" in slow.message


def test_summary_names_the_one_change_and_the_opening_line() -> None:
    profile = load_profile("binance")
    analysis = storybank.analyze(ANSWERS[1], profile=profile).to_dict()
    change = one_change(analysis, profile)
    losses = {name: e["weight"] * (1 - e["score"]) for name, e in analysis["signals"].items()}
    assert change["signal"] == max(losses, key=losses.get)
    assert change["message"] and change["points"] > 0
    summary = drill_summary(analysis, profile, probe_signal="alignment", check=None, timings={"over_time": True})
    assert summary["opening_line"] == analysis["dma"]["opening_line"]
    assert summary["weakest_signal"] == "alignment" and summary["over_time"] is True and summary["probe_met"] is None
