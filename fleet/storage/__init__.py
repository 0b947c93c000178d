"""The fleet's storage: one repository over SQLite (embedded default) and PostgreSQL."""
