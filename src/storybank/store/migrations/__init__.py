"""Alembic migrations, run programmatically when the store opens (no alembic.ini needed)."""
