"""The database as a web server uses it: SQLite tuned for concurrent writers, PostgreSQL's
pool checking its connections, and a health check that tells the truth."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
from http import HTTPStatus
from pathlib import Path
from unittest import mock

import pytest

from trainingcenter import views

ROOT = Path(__file__).resolve().parents[2]


def settings_for(database_url):
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "d = s.DATABASES['default'];"
        "print(json.dumps({'options': {k: v for k, v in d['OPTIONS'].items() if k != 'pool'},"
        " 'pool': bool(d['OPTIONS'].get('pool')), 'checks': d['CONN_HEALTH_CHECKS']}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50, DATABASE_URL=database_url)
    env["DJANGO_SETTINGS_MODULE"] = "trainingcenter.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_sqlite_runs_in_wal_with_a_busy_timeout_and_immediate_transactions(tmp_path):
    config = settings_for(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert config["options"]["transaction_mode"] == "IMMEDIATE"
    assert config["options"]["timeout"] >= 10
    assert "journal_mode=WAL" in config["options"]["init_command"]


def test_postgresql_pool_checks_connections_before_handing_them_out():
    config = settings_for("postgres://school:secret@db.internal:5432/school")
    assert config["pool"] is True
    assert config["checks"] is True


# --- /healthz on a real SQLite file ----------------------------------------------------


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "db.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE django_migrations (id integer primary key, app text)")
    db.execute("INSERT INTO django_migrations (app) VALUES ('accounts')")
    db.commit()
    db.close()
    return path


@pytest.fixture
def health_on(client, monkeypatch):
    """GET /healthz as if the site's database were the given SQLite file."""
    monkeypatch.setattr(views, "HEALTH_TIMEOUT_SECONDS", 0.2)

    def get(path):
        fake = mock.Mock(vendor="sqlite", settings_dict={"NAME": str(path)})
        fake.is_in_memory_db.return_value = False
        with mock.patch.object(views, "connection", fake):
            return client.get("/healthz")

    return get


def test_healthz_reads_a_real_table_of_a_healthy_file(health_on, sqlite_file):
    response = health_on(sqlite_file)
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_fails_for_a_missing_file_and_does_not_create_it(health_on, tmp_path):
    missing = tmp_path / "moved-away.sqlite3"
    response = health_on(missing)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["database"] == "unavailable"
    assert not missing.exists()


def test_healthz_fails_for_a_file_that_is_not_a_database(health_on, tmp_path):
    junk = tmp_path / "db.sqlite3"
    junk.write_bytes(os.urandom(8192))
    assert health_on(junk).status_code == HTTPStatus.SERVICE_UNAVAILABLE


def test_healthz_fails_for_an_empty_database_without_the_site_tables(health_on, tmp_path):
    empty = tmp_path / "db.sqlite3"
    sqlite3.connect(empty).close()
    assert health_on(empty).status_code == HTTPStatus.SERVICE_UNAVAILABLE


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_healthz_fails_while_another_process_holds_the_write_lock(health_on, sqlite_file, journal):
    holder = sqlite3.connect(sqlite_file, isolation_level=None, check_same_thread=False)
    holder.execute(f"PRAGMA journal_mode={journal}")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        response = health_on(sqlite_file)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    # Once the lock is released, the same file is healthy again.
    assert health_on(sqlite_file).status_code == HTTPStatus.OK


def test_healthz_waits_briefly_for_a_short_write(health_on, sqlite_file, monkeypatch):
    monkeypatch.setattr(views, "HEALTH_TIMEOUT_SECONDS", 2)
    holder = sqlite3.connect(sqlite_file, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.2, lambda: holder.execute("ROLLBACK"))
    release.start()
    try:
        assert health_on(sqlite_file).status_code == HTTPStatus.OK
    finally:
        release.join()
        holder.close()
