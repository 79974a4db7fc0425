"""Story-bank speed with 10,000 stories: listing and searching (p95), and saving a version with
its analysis (p95), on SQLite in a temporary folder (or on the database named by
STORYBANK_BENCH_DATABASE_URL).

Run: .venv/bin/python bench/store.py [--stories 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import storybank
from storybank.service import StoryBank
from storybank.settings import Settings
from storybank.store import repository, tables
from sqlalchemy import insert

TEMPLATES = [
    "I decided to {verb} the {area} flow. {metric} fell {pct} %, worth ${usd}k a quarter. I aligned risk, "
    "engineering and support on a rollout plan and shipped it in {weeks} weeks. Traders saw fewer failed "
    "orders in the first month, and complaints about the {area} page dropped.",
    "Our {area} launch cut daily active users {pct} % in its first week. I owned the post-mortem, rolled the "
    "change back within {weeks} days and added an alert on {metric}, protecting ${usd}k of monthly volume.",
    "We worked on the {area} page with the team and made a lot of improvements that everyone liked. "
    "It was a big improvement and the feedback was great.",
    "I chose to keep the travel rule checks on {area} transfers, which cost {pct} % of speed but kept "
    "${usd}k in fines off the table; compliance and engineering agreed the thresholds in {weeks} weeks.",
]
AREAS = ["withdrawal", "deposit", "margin", "futures", "onboarding", "KYC", "payout", "quote", "staking", "card"]
VERBS = ["rebuild", "simplify", "split", "automate", "replace"]
METRICS = ["Order-fill latency", "Failed withdrawals", "Manual reviews", "Support tickets", "Time to first trade"]


def story_text(index: int) -> str:
    """A varied, realistic story text (~60-90 words) for story number `index`."""
    template = TEMPLATES[index % len(TEMPLATES)]
    return template.format(
        verb=VERBS[index % len(VERBS)],
        area=AREAS[(index // 3) % len(AREAS)],
        metric=METRICS[(index // 7) % len(METRICS)],
        pct=5 + index % 40,
        usd=100 + index % 900,
        weeks=2 + index % 9,
    ) + f" Reference {index}."


def fill(bank: StoryBank, count: int) -> None:
    """Insert `count` stories with one version each (bulk inserts; analyzed once per variant)."""
    profile = bank.load_profile("binance")
    analyses: dict[int, dict] = {}
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    stories, versions, labels = [], [], []
    for index in range(count):
        text = story_text(index)
        variant = index % 40
        if variant not in analyses:
            analyses[variant] = storybank.analyze(text, profile).to_dict()
        analysis = analyses[variant]
        principle = "Relentless Execution" if index % 2 else "Risk-Aware Decision-Making"
        tag = AREAS[index % len(AREAS)]
        content = {
            "title": f"{AREAS[(index // 3) % len(AREAS)].capitalize()} story {index}",
            "kind": analysis["kind"],
            "profile": "binance",
            "company": None,
            "principles": [principle],
            "tags": [tag],
            "text": text,
            "parts": {},
            "score": float(analysis["score"]),
            "verdict": analysis["verdict"],
        }
        moment = start + timedelta(minutes=index)
        story_id = index + 1
        stories.append({"id": story_id, "uid": uuid.uuid4().hex, "version": 1, **content,
                        "created_at": moment, "updated_at": moment, "deleted_at": None})
        versions.append({"story_id": story_id, "version": 1, **content, "analysis": analysis,
                         "change": "created", "restored_from": None, "created_at": moment})
        labels.append({"story_id": story_id, "label_type": "principle", "label_key": repository.label_key(principle)})
        labels.append({"story_id": story_id, "label_type": "tag", "label_key": repository.label_key(tag)})
    with bank.db.write() as conn:
        conn.execute(insert(tables.stories), stories)
        conn.execute(insert(tables.story_versions), versions)
        conn.execute(insert(tables.story_labels), labels)
        repository.sync_id_sequence(conn)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(label: str, action: Callable[[int], object], rounds: int) -> None:
    action(0)  # warm caches and connections
    samples = []
    for round_number in range(rounds):
        began = time.perf_counter()
        action(round_number)
        samples.append((time.perf_counter() - began) * 1000)
    print(
        f"{label:<46} p50 {statistics.median(samples):7.2f} ms   p95 {percentile(samples, 0.95):7.2f} ms   "
        f"max {max(samples):7.2f} ms   ({rounds} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("STORYBANK_BENCH_DATABASE_URL") or f"sqlite:///{Path(folder) / 'bench.db'}"
        bank = StoryBank(Settings(home=Path(folder), database_url=url))
        began = time.perf_counter()
        fill(bank, args.stories)
        print(f"{bank.db.dialect}: filled {args.stories:,} stories in {time.perf_counter() - began:.1f} s")
        words = ["withdrawal", "latency", "travel rule", "complaints", "Reference 4321", "fines"]

        measure("list, first page of 50", lambda _: bank.list_stories(limit=50), args.rounds)
        measure(f"list, all {args.stories:,}", lambda _: bank.list_stories(), max(10, args.rounds // 5))
        measure("list, filtered by principle (page of 50)", lambda _: bank.list_stories(principle="relentless execution", limit=50), args.rounds)
        measure("search one word, first page of 50", lambda i: bank.list_stories(search=words[i % len(words)], limit=50), args.rounds)
        measure("search, all matches", lambda i: bank.list_stories(search=words[i % len(words)]), args.rounds)
        measure("search, rare word (scans every story)", lambda i: bank.list_stories(search=f"Reference {i * 97 % args.stories}"), args.rounds)
        measure("get one story with its analysis", lambda i: bank.get_story(1 + i * 37 % args.stories), args.rounds)

        versions = {"next": 1}

        def save_version(round_number: int) -> None:
            story_id = 1 + round_number * 53 % args.stories
            current = bank.get_story(story_id)
            bank.edit_story(story_id, base_version=current.version, text=story_text(story_id) + f" Edit {versions['next']}.")
            versions["next"] += 1

        measure("save a version (with its analysis)", save_version, args.rounds)
        bank.close()


if __name__ == "__main__":
    main()
