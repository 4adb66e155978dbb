"""Notices: every staff decision on a student's record reaches the student.

One decision makes one ``Notice`` (shown on the dashboard until seen, kept as the path's
history) and one e-mail, sent when the decision commits. Students who turned progress
e-mails off still get the ones that need them to act (``Notice.ESSENTIAL_KINDS``).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Enrollment, Notice, StudentProfile
from accounts.services.common import _absolute_url, _send
from programs.languages import language_of, user_language

Kind = Notice.Kind


def staff_name(user):
    """How a decision's author is named to the student."""
    if user is None:
        return gettext("Your campus")
    return user.get_full_name() or gettext("Your campus")


def _subject(kind, *, step=None, path=None, enrollment=None, certification=None, status_label=""):
    if kind == Kind.CREDENTIAL:
        return gettext("Your %(acronym)s credential was recorded") % {
            "acronym": (certification or path.certification).acronym
        }
    if kind == Kind.ENROLLMENT:
        offering = enrollment.cohort.offering
        return gettext("Your enrollment in %(program)s (%(campus)s) is now %(status)s") % {
            "program": offering.program.title,
            "campus": offering.campus.name,
            "status": str(status_label).lower(),
        }
    title = step.title
    return {
        Kind.VERIFIED: gettext("“%(title)s” was approved"),
        Kind.SENT_BACK: gettext("“%(title)s” was sent back for a change"),
        Kind.WAIVED: gettext("“%(title)s” was waived: you don't need to do it"),
        Kind.REOPENED: gettext("“%(title)s” was reopened"),
    }[kind] % {"title": title}


def _wants_email(student, kind):
    if kind in Notice.ESSENTIAL_KINDS:
        return True
    wants = (
        StudentProfile.objects.filter(user=student).values_list("email_updates", flat=True).first()
    )
    return wants is not False  # no profile yet: the default (on)


def notice_create(
    *,
    kind,
    student,
    decided_by=None,
    reason="",
    step=None,
    path=None,
    enrollment=None,
    certification=None,
    status_label="",
    send_email=True,
    request=None,
) -> Notice:
    """Record a decision for the student and e-mail it once the decision commits."""
    if step is not None:
        path = path or step.path
    if path is not None:
        enrollment = enrollment or path.enrollment
    # Written once, in the student's language: the portal and the e-mail show it as is.
    with language_of(student):
        subject = _subject(
            kind,
            step=step,
            path=path,
            enrollment=enrollment,
            certification=certification,
            status_label=status_label,
        )
    notice = Notice.objects.create(
        kind=kind,
        student=student,
        enrollment=enrollment,
        path=path,
        step=step,
        subject=subject,
        reason=(reason or "").strip(),
        decided_by=decided_by,
    )
    if send_email and _wants_email(student, kind):
        Notice.objects.filter(pk=notice.pk).update(emailed=True)
        notice.emailed = True
        # Only a decision that commits is told, and only once it has.
        transaction.on_commit(
            lambda: _send_notice_email(notice, certification=certification, request=request)
        )
    return notice


def _send_notice_email(notice, *, certification=None, request=None):
    with language_of(notice.student):
        if notice.path is not None:
            link = notice.path.get_absolute_url()
            if notice.step is not None:
                link += f"#step-{notice.step.pk}"
        else:
            link = reverse("portal:dashboard")
        _send(
            language=user_language(notice.student),
            template="decision",
            to=notice.student.email,
            context={
                "notice": notice,
                "Kind": Kind,
                "user": notice.student,
                "step": notice.step,
                "path": notice.path,
                "enrollment": notice.enrollment,
                "acronym": (certification or notice.path.certification).acronym
                if (certification or notice.path)
                else "",
                "decided_by": staff_name(notice.decided_by),
                "essential": notice.kind in Notice.ESSENTIAL_KINDS,
                "action_url": _absolute_url(link, request),
                "profile_url": _absolute_url(
                    reverse("portal:profile") + "#id_email_updates", request
                ),
            },
        )


@transaction.atomic
def notices_mark_seen(*, student, ids=None, path=None) -> int:
    """Mark the student's unseen notices seen: the given ones, those of a path, or all."""
    notices = Notice.objects.owned_by(student).unseen()
    if ids is not None:
        notices = notices.filter(pk__in=ids)
    if path is not None:
        notices = notices.filter(path=path)
    return notices.update(seen_at=timezone.now())


@transaction.atomic
def enrollment_set_status(*, enrollment, status, changed_by, request=None) -> Enrollment:
    """Staff change an enrollment's status (on leave, graduated, withdrawn…); the
    student is told. Setting the status it already has changes nothing."""
    if changed_by is None or not changed_by.has_perm("accounts.change_enrollment"):
        raise PermissionDenied
    locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if locked.status == status:
        enrollment.status = status
        return enrollment
    locked.status = status
    locked.save(update_fields=["status"])
    enrollment.status = status
    enrollment = Enrollment.objects.select_related(
        "student", "cohort__offering__program", "cohort__offering__campus"
    ).get(pk=locked.pk)
    notice_create(
        kind=Kind.ENROLLMENT,
        student=enrollment.student,
        enrollment=enrollment,
        decided_by=changed_by,
        status_label=enrollment.get_status_display(),
        request=request,
    )
    return enrollment
