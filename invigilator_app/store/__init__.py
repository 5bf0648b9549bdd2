"""The encrypted store: SQLCipher through SQLAlchemy 2, schema by Alembic migrations."""
