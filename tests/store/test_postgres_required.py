"""CI must not skip PostgreSQL silently: with STORYBANK_REQUIRE_ALL=1 and no test server, fail."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.storage, pytest.mark.postgres]


def test_the_storage_tests_run_on_postgresql(require_postgres: str) -> None:
    from storybank.store.database import Database

    assert require_postgres.startswith("postgresql")
    database = Database(require_postgres, migrate=False)
    try:
        with database.read() as connection:
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        database.close()
