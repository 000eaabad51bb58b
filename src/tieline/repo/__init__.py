"""Every query lives here: functions(session, *, owner_id, ...) that run on SQLite and PostgreSQL alike."""
