"""The harness works before anything is attacked: the server runs the production settings,
logins and CSRF work, and the student reaches their own records (so a 404 or a refusal in
the attacks below is the server's answer, not a broken script)."""

import pytest

pytestmark = pytest.mark.attack


def test_the_server_runs_the_production_settings(visitor):
    response = visitor.get("/healthz")
    assert response.status_code == 200
    home = visitor.get("/")
    assert home.status_code == 200
    assert "Strict-Transport-Security" not in home.headers  # DJANGO_HTTPS=0
    missing = visitor.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Traceback" not in missing.text  # DEBUG off


def test_the_student_logs_in_and_opens_their_own_records(student, world):
    assert student.get(f"/portal/paths/{world['path']}/").status_code == 200
    download = student.get(f"/portal/evidence/{world['evidence']}/download/")
    assert download.status_code == 200
    assert download.content.startswith(b"\x89PNG")
