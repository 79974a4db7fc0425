"""The question bank and probes as data: counts, coverage of signals and kinds, unique ids."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from storybank.rubric import SIGNAL_IDS, load_profile
from storybank.rubric.loader import SHIPPED_PROFILES, ProfileError, load_profile_file

SHIPPED = sorted(path.stem for path in SHIPPED_PROFILES.glob("*.yaml"))
WITH_QUESTIONS = [name for name in SHIPPED if load_profile(name).questions]
STORY_KINDS_ASKED = ("impact", "failure", "risk", "conflict", "customer")


def test_binance_has_forty_questions_over_three_principles_and_five_kinds() -> None:
    profile = load_profile("binance")
    assert len(profile.questions) >= 40
    principles = Counter(name for question in profile.questions for name in question.principles)
    assert set(principles) == set(profile.principle_names())
    assert min(principles.values()) >= 10
    kinds = Counter(kind for question in profile.questions for kind in question.kinds)
    assert all(kinds[kind] >= 5 for kind in STORY_KINDS_ASKED), kinds


def test_binance_has_fifteen_probes() -> None:
    assert len(load_profile("binance").probes) >= 15


def test_generic_pm_and_amazon_have_their_own_sets() -> None:
    assert {"generic-pm", "binance", "amazon"} <= set(WITH_QUESTIONS)
    amazon, generic = load_profile("amazon"), load_profile("generic-pm")
    assert len(amazon.principles) >= 14 and "Customer Obsession" in amazon.principle_names()
    assert len(amazon.questions) >= 20 and len(generic.questions) >= 15
    assert amazon.signals["customer_impact"].weight != generic.signals["customer_impact"].weight


@pytest.mark.parametrize("name", WITH_QUESTIONS)
def test_every_signal_has_a_probe(name: str) -> None:
    probed = {probe.signal for probe in load_profile(name).probes}
    assert probed == set(SIGNAL_IDS)


@pytest.mark.parametrize("name", WITH_QUESTIONS)
def test_every_principle_is_asked_about(name: str) -> None:
    profile = load_profile(name)
    asked = {principle for question in profile.questions for principle in question.principles}
    assert asked == set(profile.principle_names())


def test_ids_are_unique_across_profiles_and_prefixed() -> None:
    owners: dict[str, str] = {}
    prefixes = {"binance": "bn-", "generic-pm": "pm-", "amazon": "az-"}
    for name in WITH_QUESTIONS:
        profile = load_profile(name)
        for item in (*profile.questions, *profile.probes):
            assert item.id not in owners, f"{item.id} is in {owners.get(item.id)} and {name}"
            owners[item.id] = name
            if name in prefixes:
                assert item.id.startswith(prefixes[name])


def test_failure_probes_only_follow_failure_stories() -> None:
    for name in WITH_QUESTIONS:
        for probe in load_profile(name).probes:
            if probe.signal == "failure_recovery":
                assert probe.kinds == ["failure"], probe.id


def test_every_signal_but_failure_has_a_probe_for_any_kind() -> None:
    for name in WITH_QUESTIONS:
        profile = load_profile(name)
        for signal in SIGNAL_IDS:
            if signal != "failure_recovery":
                assert any(p.signal == signal and not p.kinds for p in profile.probes), (name, signal)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_question_naming_an_unknown_principle_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "name: mine\nextends: binance\nquestions:\n"
        "  - {id: my-first, text: Tell me about a launch., principles: [Speed], kinds: [impact]}\n"
    ))
    with pytest.raises(ProfileError, match="'Speed' is not a principle"):
        load_profile_file(path)


def test_probe_with_unknown_signal_or_feature_names_the_field(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "name: mine\nextends: binance\nprobes:\n"
        "  - {id: my-probe, text: What did you decide?, signal: courage, hint: Say it.}\n"
    ))
    with pytest.raises(ProfileError, match=r"probes\.0\.signal"):
        load_profile_file(path)
    path = _write(tmp_path, (
        "name: mine\nextends: binance\nprobes:\n"
        "  - {id: my-probe, text: What did you decide?, signal: ownership, wants: [bravery], hint: Say it.}\n"
    ))
    with pytest.raises(ProfileError, match=r"probes\.0\.wants"):
        load_profile_file(path)


def test_duplicate_ids_in_one_profile_are_an_error(tmp_path: Path) -> None:
    question = "  - {id: my-q, text: Tell me about a launch., principles: [Relentless Execution], kinds: [impact]}\n"
    path = _write(tmp_path, "name: mine\nextends: binance\nquestions:\n" + question + question)
    with pytest.raises(ProfileError, match="used twice"):
        load_profile_file(path)


def test_review_anchors_need_all_five_scores(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "name: mine\nextends: binance\npractice:\n  review:\n    dimensions:\n"
        "      - {id: ownership, label: Ownership, signals: [ownership], anchors: {1: a, 2: b, 3: c, 5: e}}\n"
    ))
    with pytest.raises(ProfileError, match="anchors"):
        load_profile_file(path)


def test_user_profile_inherits_the_practice_section(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: mine\nextends: binance\npractice:\n  retrieval_seconds: 15\n")
    profile = load_profile_file(path)
    assert profile.practice is not None
    assert profile.practice.retrieval_seconds == 15
    assert profile.practice.abandon_after_minutes == 30
    assert len(profile.practice.review.dimensions) == 5
