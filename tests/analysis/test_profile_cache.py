"""The disk cache of validated profiles: used when nothing changed, rebuilt when anything did."""

import json
import pickle
import subprocess
import sys

from storybank.analysis.analyzer import analyze_text
from storybank.analysis.snapshot import load_analyzer_profile
from storybank.rubric import cache
from storybank.rubric.loader import _load_through_disk_cache, find_profile_file, load_profile


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


ANSWERS = [
    "I decided to cut withdrawal fees by 12 % after we lost 4,000 traders; revenue rose $1.2 M in a quarter.",
    "We kind of aligned everyone and it went well, I think. The team was happy.",
    "Our launch failed: DAU fell 6 % in two days. I rolled back within 3 hours and added a canary stage.",
]


def test_the_analyzers_copy_reports_exactly_what_the_validated_profile_reports(storybank_home):
    for name in ("binance", "generic-pm", "amazon", "base"):
        validated = load_profile(name)
        for text in ANSWERS:
            for copy in (load_analyzer_profile(name), load_analyzer_profile(name)):  # built, then read back
                assert analyze_text(text, copy).to_dict() == analyze_text(text, validated).to_dict()


def test_a_changed_user_profile_changes_the_analyzers_copy(storybank_home):
    folder = storybank_home / "profiles"
    folder.mkdir()
    mine = folder / "mine.yaml"
    mine.write_text("name: mine\nextends: binance\n", encoding="utf-8")
    assert load_analyzer_profile("mine").limits.opening_seconds == 45
    mine.write_text("name: mine\nextends: binance\nlimits: {opening_seconds: 30, answer_seconds: 90}\n", encoding="utf-8")
    assert load_analyzer_profile("mine").limits.opening_seconds == 30


def test_a_cached_one_answer_run_does_not_import_pydantic(storybank_home, tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWERS[0], encoding="utf-8")
    script = (
        "import sys\n"
        f"sys.argv = ['storybank', 'analyze', {str(answer)!r}, '--json']\n"
        "from storybank.cli.main import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "print('pydantic' in sys.modules, file=sys.stderr)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True) for _ in range(2)]
    assert [run.stderr.strip() for run in runs] == ["True", "False"]  # the first run validates and caches
    assert json.loads(runs[0].stdout) == json.loads(runs[1].stdout)
