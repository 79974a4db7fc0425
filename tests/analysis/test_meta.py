"""Meta-tests over the rules and profiles themselves: they cannot drift silently."""

from pathlib import Path

import pytest

from storybank.rubric import SIGNAL_IDS, available_profiles, load_profile, load_rules
from storybank.rubric.loader import SHIPPED_PROFILES, ProfileError, load_profile_file

SHIPPED = sorted(path.stem for path in SHIPPED_PROFILES.glob("*.yaml"))


def test_every_rule_has_bad_and_good_examples():
    for rule in load_rules().values():
        assert rule.examples.bad and rule.examples.good, rule.id


def test_rule_ids_are_unique_and_match_file_names():
    rules = load_rules()
    assert len(rules) == len(set(rules))
    assert len(rules) >= 20


def test_every_signal_has_at_least_one_rule():
    signals = {rule.signal for rule in load_rules().values()}
    assert signals == set(SIGNAL_IDS)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_profile_loads_and_refers_only_to_real_rules(name):
    profile = load_profile(name)
    assert set(profile.rules) <= set(load_rules())
    assert set(profile.signals) == set(SIGNAL_IDS)


def test_binance_profile_has_the_three_principles():
    assert load_profile("binance").principle_names() == [
        "Relentless Execution",
        "Customer-First Innovation",
        "Risk-Aware Decision-Making",
    ]


def test_shipped_profiles_are_listed():
    assert {"base", "generic-pm", "binance"} <= set(available_profiles())


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_misspelled_field_names_the_file_and_the_field(tmp_path):
    path = _write(tmp_path, "name: mine\nextends: binance\nlimts:\n  opening_seconds: 30\n")
    with pytest.raises(ProfileError) as error:
        load_profile_file(path)
    assert str(path) in str(error.value) and "limts" in str(error.value)


def test_wrong_type_names_the_nested_field(tmp_path):
    path = _write(tmp_path, "name: mine\nextends: binance\nsignals:\n  ownership: {weight: lots, label: x}\n")
    with pytest.raises(ProfileError, match=r"signals\.ownership\.weight"):
        load_profile_file(path)


def test_malformed_yaml_names_the_line(tmp_path):
    path = _write(tmp_path, "name: mine\nextends: binance\nrules: [unclosed\n")
    with pytest.raises(ProfileError, match=r"malformed YAML at line"):
        load_profile_file(path)


def test_override_of_unknown_rule_is_an_error(tmp_path):
    path = _write(tmp_path, "name: mine\nextends: binance\nrules:\n  no-such-rule: {enabled: false}\n")
    with pytest.raises(ProfileError, match="no-such-rule"):
        load_profile_file(path)


def test_unknown_parent_lists_available_profiles(tmp_path):
    path = _write(tmp_path, "name: mine\nextends: nowhere\n")
    with pytest.raises(ProfileError, match="available: .*binance"):
        load_profile_file(path)


def test_overlay_changes_weights_severity_and_switches_rules_off(tmp_path):
    path = _write(
        tmp_path,
        "name: mine\nextends: binance\n"
        "signals:\n  dollar_value: {weight: 5.0, label: Dollar value}\n"
        "rules:\n  hedging: {severity: error}\n  no-dollar-value: {enabled: false}\n"
        "lexicon_additions:\n  hedges: [arguably]\n",
    )
    from storybank.analysis.analyzer import analyze_text

    profile = load_profile_file(path)
    assert profile.signals["dollar_value"].weight == 5.0
    report = analyze_text("I arguably cut churn by 4 % for traders.", profile)
    rules = {f.rule: f.severity for f in report.findings}
    assert rules.get("hedging") == "error"
    assert "no-dollar-value" not in rules


def test_user_profile_in_home_is_found_by_name(storybank_home):
    folder = storybank_home / "profiles"
    folder.mkdir()
    (folder / "acme.yaml").write_text("name: acme\nextends: binance\n", encoding="utf-8")
    assert load_profile("acme").name == "acme"
    assert "acme" in available_profiles()
