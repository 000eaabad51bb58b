"""Settings (tieline.config): where the data lives, from flags, then the environment, then defaults."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from tieline.config import load_settings, normalise_url


def test_default_database_is_sqlite_in_the_platform_data_dir() -> None:
    settings = load_settings(env={})
    expected_dir = Path(platformdirs.user_data_dir("tieline", appauthor=False))
    assert settings.data_dir == expected_dir
    assert settings.database_url == f"sqlite:///{expected_dir / 'tieline.db'}"
    assert settings.is_sqlite


def test_tieline_data_dir_moves_the_default_database(tmp_path: Path) -> None:
    settings = load_settings(env={"TIELINE_DATA_DIR": str(tmp_path)})
    assert settings.data_dir == tmp_path
    assert settings.database_url == f"sqlite:///{tmp_path / 'tieline.db'}"


def test_tieline_database_url_overrides_the_data_dir(tmp_path: Path) -> None:
    env = {"TIELINE_DATA_DIR": str(tmp_path), "TIELINE_DATABASE_URL": "postgresql://me@db.example/crm"}
    settings = load_settings(env=env)
    assert settings.database_url == "postgresql+psycopg://me@db.example/crm"
    assert not settings.is_sqlite


def test_database_flag_wins_over_the_environment() -> None:
    env = {"TIELINE_DATABASE_URL": "postgresql://me@db.example/crm"}
    assert load_settings("sqlite:////tmp/flag.db", env=env).database_url == "sqlite:////tmp/flag.db"


def test_a_bare_path_is_an_sqlite_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert load_settings("work.db", env={}).database_url == f"sqlite:///{tmp_path / 'work.db'}"


def test_postgres_urls_get_the_psycopg_driver() -> None:
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"
