"""`storybank analyze --jsonl`: one `{"id", "text"}` object per line in, one result per line out."""

from __future__ import annotations

import json
import sys
from typing import IO, Iterator

from storybank.cli.common import MAX_TEXT_CHARS, decode_text, fail
from storybank.rubric.models import Profile


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


def _parse(raw: bytes, number: int, source: str) -> tuple[object, str] | None:
    where = f"{source}: line {number}"
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    line = decode_text(raw, where).strip()
    if not line:
        return None
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        fail(f"{where}: malformed JSON ({error.msg})")
    if not isinstance(item, dict) or "text" not in item or "id" not in item:
        fail(f'{where}: expected an object with "id" and "text"')
    text = item["text"]
    if not isinstance(text, str) or not text.strip():
        fail(f'{where}: "text" must be a non-empty string')
    if len(text) > MAX_TEXT_CHARS:
        fail(f"{where}: text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    return item["id"], text


def run_jsonl(source: str, profile: Profile, kind: str, min_score: float | None) -> int:
    """Stream results in input order; returns the exit code (1 if any score is under min_score)."""
    from storybank.analysis.analyzer import analyze_text

    name = "stdin" if source == "-" else source
    below = False
    out = sys.stdout
    for number, raw in enumerate(_lines(source), start=1):
        parsed = _parse(raw, number, name)
        if parsed is None:
            continue
        item_id, text = parsed
        report = analyze_text(text, profile, kind)
        out.write(json.dumps({"id": item_id, **report.to_dict()}, ensure_ascii=False) + "\n")
        out.flush()
        below = below or (min_score is not None and report.score < min_score)
    return 1 if below else 0
