"""Storage: SQLAlchemy tables, the repository and Alembic migrations. The only place with SQL."""

# Every table module registers on the one metadata that migrations are compared against.
from storybank.store import practice_tables as _practice_tables  # noqa: F401
