"""Finding 3: simultaneous writes on SQLite answered 500 ("database is locked"): deferred
transactions that read and then write cannot wait for the lock. Fixed: WAL, a busy
timeout and IMMEDIATE transactions, so writers queue instead of failing."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.attack

WRITERS = 16


def test_simultaneous_saves_by_a_student_give_no_server_error(student, world):
    step = world["count_step"]
    token = student.csrf_token(f"/portal/paths/{world['path']}/")
    clients = [student.clone() for _ in range(WRITERS)]
    barrier = threading.Barrier(WRITERS, timeout=60)

    def save(n):
        barrier.wait()
        response = clients[n].post(
            f"/portal/steps/{step}/count/", {f"step-{step}-count": str(n + 1)}, token=token
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        statuses = Counter(pool.map(save, range(WRITERS)))

    assert not any(status >= 500 for status in statuses), (
        f"{WRITERS} simultaneous saves: {statuses} (server errors)"
    )
    assert statuses == {302: WRITERS}, f"not every save succeeded: {statuses}"
