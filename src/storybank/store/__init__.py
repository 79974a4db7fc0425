"""Storage: SQLAlchemy tables, the repository and Alembic migrations. The only place with SQL."""
