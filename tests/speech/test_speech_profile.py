"""The profile's `delivery:` section: shipped values, strict validation, overlays."""

from __future__ import annotations

import pytest

from storybank.practice.models import HINT_PLACEHOLDERS, DeliveryTargets
from storybank.practice.speech.report import delivery_targets
from storybank.rubric.loader import ProfileError, available_profiles, load_profile


@pytest.mark.parametrize("name", ["base", "generic-pm", "binance"])
def test_shipped_profiles_carry_delivery_targets(name):
    targets = load_profile(name).delivery
    assert targets is not None
    assert (targets.wpm_min, targets.wpm_max, targets.max_filler_ratio, targets.long_pause_s) == (130, 160, 0.02, 1.5)
    assert {"um", "uh", "like", "you know", "sort of", "kind of", "basically"} <= set(targets.fillers)


def test_every_profile_has_a_delivery_section():
    for name in available_profiles():
        assert delivery_targets(load_profile(name)).max_recording_s > 0


def test_an_overlay_changes_one_target_and_keeps_the_rest(tmp_path):
    path = tmp_path / "calm.yaml"
    path.write_text("extends: binance\nname: calm\ndelivery:\n  wpm_max: 150\n")
    targets = load_profile(path).delivery
    assert targets.wpm_max == 150 and targets.wpm_min == 130 and targets.hints.too_fast


@pytest.mark.parametrize(
    ("overlay", "problem"),
    [
        ("delivery:\n  wmp_max: 150\n", "delivery.wmp_max: unknown field"),
        ("delivery:\n  wpm_min: 170\n", "wpm_min must not exceed wpm_max"),
        ("delivery:\n  hints:\n    too_fast: 'slow down from {speed}'\n", "unknown placeholder {speed}"),
        ("delivery:\n  max_filler_ratio: 2\n", "delivery.max_filler_ratio"),
    ],
)
def test_mistakes_in_the_delivery_section_name_the_file_and_field(tmp_path, overlay, problem):
    path = tmp_path / "typo.yaml"
    path.write_text("extends: binance\nname: typo\n" + overlay)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(path) in str(caught.value) and problem in str(caught.value)


def test_hint_placeholders_are_the_values_the_hints_receive():
    from storybank.practice.delivery import DeliveryMetrics, hint_values

    targets = load_profile("base").delivery
    metrics = DeliveryMetrics(duration_s=10, speaking_s=9, words=25, wpm=150, wpm_speaking=166)
    assert set(hint_values(metrics, 3.0, targets)) == HINT_PLACEHOLDERS


def test_a_profile_without_delivery_is_refused_by_name():
    profile = load_profile("binance").model_copy(update={"delivery": None})
    with pytest.raises(ProfileError, match="has no delivery: section"):
        delivery_targets(profile)
    assert DeliveryTargets.model_config["extra"] == "forbid"
