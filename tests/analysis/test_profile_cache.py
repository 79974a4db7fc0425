"""The disk cache of validated profiles: used when nothing changed, rebuilt when anything did."""

import pickle

from storybank.rubric import cache
from storybank.rubric.loader import _load_through_disk_cache, find_profile_file


def _entries(home):
    return sorted((home / "cache").glob("*.pickle"))


def test_second_load_reads_the_cache(storybank_home):
    path = find_profile_file("binance")
    first = _load_through_disk_cache(path)
    (entry,) = _entries(storybank_home)
    again = _load_through_disk_cache(path)
    assert again == first and _entries(storybank_home) == [entry]


def test_a_changed_user_profile_makes_a_new_entry(storybank_home):
    folder = storybank_home / "profiles"
    folder.mkdir()
    mine = folder / "mine.yaml"
    mine.write_text("name: mine\nextends: binance\n", encoding="utf-8")
    assert _load_through_disk_cache(mine).limits.opening_seconds == 45
    mine.write_text("name: mine\nextends: binance\nlimits: {opening_seconds: 30, answer_seconds: 90}\n", encoding="utf-8")
    assert _load_through_disk_cache(mine).limits.opening_seconds == 30
    assert len(_entries(storybank_home)) == 2


def test_a_damaged_entry_is_rebuilt(storybank_home):
    path = find_profile_file("binance")
    _load_through_disk_cache(path)
    (entry,) = _entries(storybank_home)
    entry.write_bytes(b"not a pickle")
    assert _load_through_disk_cache(path).name == "binance"
    assert isinstance(pickle.loads(entry.read_bytes()), tuple)


def test_key_changes_with_file_content(tmp_path):
    file = tmp_path / "a.yaml"
    file.write_text("x: 1\n")
    before = cache.cache_key([file])
    file.write_text("x: 22\n")
    assert cache.cache_key([file]) != before


def test_key_changes_when_a_model_module_changes(tmp_path, monkeypatch):
    models = tmp_path / "models.py"
    models.write_text("class Profile: pass\n")
    monkeypatch.setattr(cache, "_MODEL_SOURCES", (str(models),))
    before = cache.cache_key([])
    models.write_text("class Profile:\n    extra = 1\n")
    assert cache.cache_key([]) != before
