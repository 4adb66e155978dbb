"""Staff work in the admin: enroll students, verify what they submit, follow progress.

Writes that span several models or notify a student go through accounts.services
(enrollment, invitations, verification, templates); progress figures are the stored
ones derived by accounts.progress, so the admin shows exactly what the student sees.
"""

# Importing the modules registers their ModelAdmins.
from accounts.admin import (  # noqa: F401
    applications,
    common,
    credentials,
    enrollments,
    inquiries,
    paths,
    review,
    steps,
    users,
)
