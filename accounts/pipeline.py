"""What admissions has to act on: one definition for the staff home's figures and the
pipeline list's "To act on" filter, so a figure and the list it links to always agree."""

from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Application, ApplicationDocument

Status = Application.Status


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _resent():
    return Exists(
        ApplicationDocument.objects.filter(
            application=OuterRef("pk"), status=ApplicationDocument.Status.REJECTED
        )
    )


def to_act_on(key, today=None):
    """The applications counted under one of ``TODO``'s keys."""
    today = today or timezone.localdate()
    applications = Application.objects.all()
    if key == "new":
        return applications.filter(status=Status.SUBMITTED).exclude(_resent())
    if key == "resent":
        return applications.filter(_resent(), status=Status.SUBMITTED)
    if key in ("today", "week"):
        # "The next 7 days": today and the seven days after it (a week from today counts).
        days = 1 if key == "today" else 8
        return applications.filter(
            status=Status.INTERVIEW_SCHEDULED,
            interview_held_at__isnull=True,
            interview_at__gte=_day_start(today),
            interview_at__lt=_day_start(today + timedelta(days=days)),
        )
    if key == "accepted":
        return applications.filter(status=Status.ACCEPTED)
    raise KeyError(key)


# key: (label on the staff home, label in the list's filter)
TODO = {
    "new": ("applications submitted, waiting for a first look", "Submitted, first look"),
    "resent": ("applications with documents sent again after a send-back", "Documents sent again"),
    "today": ("application interviews today", "Interviews today"),
    "week": ("application interviews in the next 7 days", "Interviews in the next 7 days"),
    "accepted": ("applications accepted, not yet enrolled", "Accepted, not yet enrolled"),
}
