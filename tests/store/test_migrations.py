"""Opening the store: migrations run from the package (no alembic.ini), the schema they build
matches the table definitions on every engine, SQLite runs in WAL mode, data survives upgrades."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from storybank.store.database import MIGRATIONS_DIR, Database, current_revision, head_revision
from storybank.store.tables import metadata

pytestmark = pytest.mark.storage


def test_migrations_ship_inside_the_package_without_alembic_ini() -> None:
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py"))[0].startswith("0001_")
    package_root = MIGRATIONS_DIR.parents[1]
    assert not list(package_root.rglob("alembic.ini"))


def test_opening_applies_every_migration(database_url: str) -> None:
    database = Database(database_url)
    try:
        assert current_revision(database.engine) == head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert {"stories", "story_versions", "story_labels", "question_links", "alembic_version"} <= tables
    finally:
        database.close()


def test_migrated_schema_matches_the_table_definitions(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    database = Database(database_url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        database.close()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'nested' / 'folder' / 'bank.db'}")
    try:
        with database.read() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.close()


def test_the_default_database_lives_in_storybank_home(storybank_home: Path) -> None:
    from storybank.service import StoryBank
    from storybank.settings import Settings

    with StoryBank(Settings.from_env()) as bank:
        assert bank.db.dialect == "sqlite"
    assert (storybank_home / "storybank.db").is_file()


def test_upgrading_from_the_first_migration_keeps_the_data(database_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    database = Database(database_url, migrate=False)
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with database.engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
            connection.commit()
        moment = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc).replace(tzinfo=None)
        with database.write() as connection:
            connection.execute(
                text(
                    "INSERT INTO stories (uid, version, title, kind, profile, principles, tags, text, parts, score,"
                    " verdict, created_at, updated_at) VALUES (:uid, 1, 'Old', 'impact', 'binance', '[]', '[]',"
                    " 'I decided.', '{}', 10.0, 'nice-talk', :at, :at)"
                ),
                {"uid": "a" * 32, "at": moment},
            )
        assert current_revision(database.engine) == "0001"
    finally:
        database.close()
    reopened = Database(database_url)
    try:
        assert current_revision(reopened.engine) == head_revision()
        with reopened.read() as connection:
            assert connection.execute(text("SELECT title FROM stories")).scalar_one() == "Old"
    finally:
        reopened.close()


def test_several_processes_opening_a_fresh_store_at_once(database_url: str) -> None:
    script = "import sys; from storybank.store.database import Database; Database(sys.argv[1]).close()"
    processes = [
        subprocess.Popen([sys.executable, "-c", script, database_url], stderr=subprocess.PIPE) for _ in range(3)
    ]
    failures = [p.stderr.read().decode() for p in processes if p.wait(timeout=120) != 0]
    for process in processes:
        process.stderr.close()
    assert failures == []
    database = Database(database_url)
    try:
        assert current_revision(database.engine) == head_revision()
    finally:
        database.close()


def test_several_threads_opening_a_fresh_store_at_once(database_url: str) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def open_store() -> None:
        barrier.wait()
        try:
            Database(database_url).close()
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
