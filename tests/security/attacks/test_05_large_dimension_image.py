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


def phone_photo_jpeg(width=6000, height=4000):
    """A 24-megapixel JPEG, the largest photo accepted, small on the wire (a gradient)."""
    import io

    from PIL import Image

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def test_six_of_the_largest_accepted_photos_at_once_keep_workers_under_the_budget(
    server, student, world
):
    from concurrent.futures import ThreadPoolExecutor

    data = phone_photo_jpeg()
    assert len(data) < 10 * 1024 * 1024
    step = world["evidence_step"]
    page = f"/portal/paths/{world['path']}/"
    action = f"/portal/steps/{step}/evidence/"
    field = f"step-{step}-file"
    clients = [student.clone() for _ in range(6)]
    tokens = [client.csrf_token(page) for client in clients]

    def upload(i):
        return (
            clients[i]
            .post(
                action,
                files={field: (f"card-{i}.jpg", data, "image/jpeg")},
                token=tokens[i],
                timeout=120,
            )
            .status_code
        )

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(upload, range(6)))
    peaks = {pid: vm_hwm_mb(pid) for pid in server.worker_pids()}
    stored = server.query(
        "SELECT COUNT(*) FROM accounts_evidence WHERE original_name LIKE 'card-%.jpg'"
    )[0][0]
    assert answers == [302] * 6, f"answers {answers}"
    assert stored == 6
    assert max(peaks.values()) < MEMORY_LIMIT_MB, f"peak worker memory (VmHWM, MB): {peaks}"
