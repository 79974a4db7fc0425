"""The public API returns SPEC's JSON contract."""

import storybank

CONTRACT_KEYS = ["profile", "kind", "score", "verdict", "words", "speaking_seconds", "signals", "findings", "quantities", "principles", "dma"]


def test_analyze_returns_the_contract_keys_in_order():
    report = storybank.analyze("I decided to cut the fee tiers from five to two, and conversion rose 6 %.")
    data = report.to_dict()
    assert list(data) == CONTRACT_KEYS
    assert data["profile"] == "binance"
    assert data["kind"] != "auto"
    assert set(data["dma"]) == {"decision", "metric", "alignment", "order", "opening_line", "rewrite"}
