"""Finding 7: with the SQLite file gone, /healthz answered 200 — opening the missing
database created a new, empty one, and SELECT 1 needs no tables. Fixed: /healthz reads a
real table, answers 503 and creates no file.

Runs on a second, one-worker server with a copy of the database, so the shared server
is never broken."""

import os

import pytest
import requests

from tests.security.attacks.harness import start_second_server

pytestmark = pytest.mark.attack


def test_healthz_answers_503_for_a_missing_database_and_does_not_recreate_it(server, attack_base):
    folder = attack_base / "spare"
    folder.mkdir()
    spare = start_second_server(folder, server.db, static_root=server.base / "static")
    files = [spare.db.with_name(spare.db.name + suffix) for suffix in ("", "-wal", "-shm")]
    moved = []
    try:
        assert requests.get(spare.url + "/healthz", timeout=10).status_code == 200
        for file in files:
            if file.exists():
                os.replace(file, file.with_name(file.name + ".moved"))
                moved.append(file)
        status = requests.get(spare.url + "/healthz", timeout=10).status_code
        recreated = spare.db.exists()
        assert (status, recreated) == (503, False), (
            f"/healthz without its database: {status}; the file was "
            f"{'recreated' if recreated else 'not recreated'}"
        )
    finally:
        for file in moved:
            os.replace(file.with_name(file.name + ".moved"), file)
        spare.stop()
