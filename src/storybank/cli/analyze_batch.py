"""`storybank analyze --jsonl`: one `{"id", "text"}` object per line in, one result per line out.

A file's answers are analyzed in two worker processes when the machine has two cores: the
results still stream out in input order, and a malformed line still ends the run (exit 2) after
the results of every line before it. Standard input is analyzed line by line as it arrives.
"""

from __future__ import annotations

import json
import os
import sys
from collections import deque
from typing import IO, TYPE_CHECKING, Iterable, Iterator

from storybank.cli.common import MAX_TEXT_CHARS, fail

if TYPE_CHECKING:
    from storybank.rubric.models import Profile

Item = tuple[object, str]  # (id, text)
Result = tuple[str, float]  # (JSON line, score)

_MAX_WORKERS = 2
_CHUNK = 32  # lines per worker task


class BadLine(Exception):
    """A line that cannot be analyzed; the message names the source and the line."""


def _lines(source: str) -> Iterator[bytes]:
    if source == "-":
        yield from sys.stdin.buffer
        return
    try:
        handle: IO[bytes] = open(source, "rb")
    except FileNotFoundError:
        fail(f"{source}: no such file")
    except OSError as error:
        fail(f"{source}: cannot be read ({error.strerror or error})")
    with handle:
        yield from handle


def _decode(raw: bytes, where: str) -> str:
    """Like `common.decode_text`, but a refused line is a BadLine, reported after earlier results."""
    if b"\x00" in raw:
        raise BadLine(f"{where}: binary input (NUL bytes); expected UTF-8 text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadLine(f"{where}: invalid UTF-8 at byte {error.start}; expected UTF-8 text") from error


def _parse(raw: bytes, number: int, source: str) -> Item | None:
    where = f"{source}: line {number}"
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    line = _decode(raw, where).strip()
    if not line:
        return None
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadLine(f"{where}: malformed JSON ({error.msg})") from error
    if not isinstance(item, dict) or "text" not in item or "id" not in item:
        raise BadLine(f'{where}: expected an object with "id" and "text"')
    text = item["text"]
    if not isinstance(text, str) or not text.strip():
        raise BadLine(f'{where}: "text" must be a non-empty string')
    if len(text) > MAX_TEXT_CHARS:
        raise BadLine(f"{where}: text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    return item["id"], text


def _items(source: str, name: str) -> Iterator[Item]:
    for number, raw in enumerate(_lines(source), start=1):
        parsed = _parse(raw, number, name)
        if parsed is not None:
            yield parsed


def analyze_item(profile: Profile, kind: str, item: Item) -> Result:
    """One output line (the id, then the analyzer's JSON object) and the answer's score."""
    from storybank.analysis.analyzer import analyze_text

    item_id, text = item
    report = analyze_text(text, profile, kind)
    return json.dumps({"id": item_id, **report.to_dict()}, ensure_ascii=False), report.score


def run_jsonl(source: str, profile: Profile, kind: str, min_score: float | None, workers: int | None = None) -> int:
    """Stream results in input order; returns the exit code (1 if any score is under min_score)."""
    name = "stdin" if source == "-" else source
    workers = (worker_count() if source != "-" else 1) if workers is None else workers
    items = _items(source, name)
    if workers > 1:
        results = _in_workers(items, profile, kind, workers)
    else:
        results = (analyze_item(profile, kind, item) for item in items)
    below = False
    out = sys.stdout
    try:
        for line, score in results:
            out.write(line + "\n")
            out.flush()
            below = below or (min_score is not None and score < min_score)
    except BadLine as error:
        fail(str(error))
    return 1 if below else 0


def worker_count() -> int:
    """Worker processes for a batch: one per core, at most two; 1 means no workers at all."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # workers must inherit the loaded profile rather than load it again
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(_MAX_WORKERS, cores))


# The profile and kind of a worker process, set once when it starts.
_worker_job: tuple[Profile, str] | None = None


def _start_worker(profile: Profile, kind: str) -> None:
    global _worker_job
    _worker_job = (profile, kind)


def _analyze_chunk(chunk: list[Item]) -> list[Result]:
    assert _worker_job is not None
    profile, kind = _worker_job
    return [analyze_item(profile, kind, item) for item in chunk]


def _in_workers(items: Iterator[Item], profile: Profile, kind: str, workers: int) -> Iterator[Result]:
    """Results of `items` analyzed by worker processes, in input order, as soon as each is ready.
    A BadLine is raised only after the results of every line before it."""
    import multiprocessing

    from storybank.analysis.analyzer import compiled_profile

    compiled_profile(profile)  # compiled once here; the forked workers inherit it
    with multiprocessing.get_context("fork").Pool(workers, _start_worker, (profile, kind)) as pool:
        pending: deque = deque()
        error: BadLine | None = None
        try:
            for chunk in _chunks(items, _CHUNK):
                pending.append(pool.apply_async(_analyze_chunk, (chunk,)))
                while pending and (len(pending) > 2 * workers or pending[0].ready()):
                    yield from pending.popleft().get()
        except BadLine as bad:
            error = bad
        while pending:
            yield from pending.popleft().get()
        if error is not None:
            raise error


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Lists of `size` items; the items read before a BadLine come out before it is raised."""
    chunk: list[Item] = []
    try:
        for item in items:
            chunk.append(item)
            if len(chunk) == size:
                yield chunk
                chunk = []
    except BadLine:
        if chunk:
            yield chunk
        raise
    if chunk:
        yield chunk
