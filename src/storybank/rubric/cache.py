"""A disk cache of validated rules and profiles, so a command starts without re-reading YAML.

The key covers every file a profile can depend on (shipped rules and profiles, the user's
profiles, the file itself: path, size and modification time), the source of the models the
cached objects are made of, and the versions of storybank, pydantic and Python; any change
makes a new key. A missing, stale or unreadable cache entry is
simply rebuilt, never an error.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

_KEEP_ENTRIES = 16  # two per profile: the validated profile and the analyzer's copy

# The modules whose classes are pickled in an entry, relative to the package folder: a changed
# model must not be loaded from an entry written by its older self.
_MODEL_SOURCES = (
    "rubric/models.py",
    "planning/models.py",
    "practice/bank_models.py",
    "practice/models.py",
    "analysis/rules.py",
    "analysis/lexicon.py",
    "analysis/analyzer.py",
)


def cache_key(files: list[Path]) -> str:
    """A digest of the files' identities and the library versions."""
    from storybank import __version__

    digest = hashlib.sha256(f"{__version__}|{sys.version}".encode())
    package = Path(__file__).resolve().parent.parent
    models = [package / source for source in _MODEL_SOURCES]
    for file in [*models, *_library_files(), *sorted(files)]:
        try:
            stat = file.stat()
        except OSError:
            continue
        digest.update(f"|{file}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def _library_files() -> list[Path]:
    """Pydantic's version file: an upgrade rewrites it, which changes the key. (Found without
    importing pydantic, which a cached start-up does not need.)"""
    spec = importlib.util.find_spec("pydantic")
    return [Path(spec.origin).with_name("version.py")] if spec and spec.origin else []


def read_entry(folder: Path, key: str) -> Any | None:
    """The cached value for `key`, or None."""
    try:
        with open(folder / f"{key}.pickle", "rb") as handle:
            return pickle.load(handle)
    except Exception:  # a damaged or foreign entry is rebuilt, whatever went wrong
        return None


def write_entry(folder: Path, key: str, value: Any) -> None:
    """Store `value` under `key` atomically; failures only mean a slower next start."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, folder / f"{key}.pickle")
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda path: path.stat().st_mtime, reverse=True)
    for stale in entries[_KEEP_ENTRIES:]:
        stale.unlink(missing_ok=True)
