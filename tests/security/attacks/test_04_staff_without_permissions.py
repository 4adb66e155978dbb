"""Finding 4: any staff account, even one without a single permission, could open every
student's path and download their evidence. Fixed: staff need the model permissions;
without them a student's records are a 404, as for any other stranger."""

import pytest

pytestmark = pytest.mark.attack


def test_staff_without_permissions_get_404_on_student_records(staff, student, world):
    path_page = f"/portal/paths/{world['path']}/"
    download = f"/portal/evidence/{world['evidence']}/download/"
    # The URLs are real: the owner opens both.
    assert student.get(path_page).status_code == 200
    assert student.get(download).status_code == 200

    answers = {url: staff.get(url).status_code for url in (path_page, download)}
    assert answers == {path_page: 404, download: 404}, (
        f"a staff account with no permissions got {answers}"
    )
