"""Finding 5: a 120 KB PNG of 6320 x 6320 pixels (just under the 40-megapixel limit) was
decoded whole, twice over, by the profile-photo check: hundreds of MB per upload in a
worker. Fixed: a lower pixel limit checked before decoding."""

import pytest

from tests.security.attacks.harness import vm_hwm_mb
from tests.security.attacks.payloads import large_png
from tests.security.attacks.world import STUDENT

pytestmark = pytest.mark.attack

MEMORY_LIMIT_MB = 150


def test_a_huge_photo_is_refused_without_eating_the_workers_memory(server, student):
    data = large_png(6320)
    assert len(data) < 1024 * 1024
    workers = server.worker_pids()
    assert workers, "no gunicorn workers found"
    before = {pid: vm_hwm_mb(pid) for pid in workers}
    assert max(before.values()) < MEMORY_LIMIT_MB, f"workers already at {before} MB"

    token = student.csrf_token("/portal/profile/")
    response = student.post(
        "/portal/profile/",
        {"first_name": "Sam", "last_name": "Student", "phone": "", "preferred_campus": ""},
        files={"new_photo": ("me.png", data, "image/png")},
        token=token,
        timeout=120,
    )
    after = {pid: vm_hwm_mb(pid) for pid in server.worker_pids() if pid in before}
    photo = server.query(
        "SELECT p.photo FROM accounts_studentprofile p JOIN accounts_user u "
        "ON u.id = p.user_id WHERE u.email = ?",
        (STUDENT,),
    )[0][0]

    problems = []
    if (response.status_code, photo) != (200, ""):
        problems.append(f"accepted ({response.status_code}, stored as {photo!r})")
    if max(after.values()) >= MEMORY_LIMIT_MB:
        problems.append(f"peak worker memory (VmHWM, MB) {before} before, {after} after")
    assert not problems, "a 6320 x 6320 photo: " + "; ".join(problems)
