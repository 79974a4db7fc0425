"""The practice tables: one migration head, created on opening, and what happens to attempts
when their story is purged."""

from __future__ import annotations

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from storybank.practice_service import Practice
from storybank.service import StoryBank
from storybank.store.database import MIGRATIONS_DIR

pytestmark = pytest.mark.storage


def test_the_migrations_have_a_single_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_opening_the_store_creates_the_practice_tables(bank: StoryBank) -> None:
    tables = set(inspect(bank.db.engine).get_table_names())
    assert {"practice_attempts", "practice_reviews"} <= tables


def test_purging_a_story_keeps_its_attempts(bank: StoryBank, stories: dict[str, int]) -> None:
    practice = Practice(bank)
    attempt = practice.run_drill("bn-reduced-churn", "I cut fees; churn fell 4 %.", story_id=stories["churn"])
    bank.delete_story(stories["churn"])
    bank.purge_story(stories["churn"])
    kept = practice.get_attempt(attempt.id)
    assert kept.story_id is None and kept.answer == attempt.answer and kept.analysis == attempt.analysis
