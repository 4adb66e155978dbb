"""Student profiles, enrollments and the certification paths they create."""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import progress
from accounts.models import (
    CertificationPath,
    Enrollment,
    PathStep,
    User,
)
from accounts.services.common import _absolute_url, _send
from accounts.services.invitations import invitation_send
from accounts.services.profile import profile_ensure
from programs.languages import language_of, user_language

# --- Accounts, enrollments and paths ---------------------------------------------------


def _step_fields(template, cohort):
    """A path step as the template describes it for one cohort: due dates from the
    cohort's calendar (``PathStepTemplate.due_date_for``), texts naming its program in each
    language (``PathStepTemplate.texts_for``)."""
    program = cohort.offering.program if cohort is not None else None
    return {
        "order": template.order,
        **template.texts_for(program),
        "kind": template.kind,
        "target": template.target,
        "requires_verification": template.requires_verification,
        "student_can_complete": template.student_can_complete,
        "milestone": template.milestone,
        "due_date": template.due_date_for(cohort),
        "shared_key": template.shared_key,
    }


def _same(stored, value):
    """Equal, counting an empty text and a text never written (NULL) as the same: a
    language column left empty is stored either way."""
    return stored == value or (stored in (None, "") and value in (None, ""))


def _shared_steps_of(enrollment):
    """{shared key: step} for the steps the enrollment's paths already share."""
    return {
        step.shared_key: step
        for step in PathStep.objects.filter(path__enrollment=enrollment).exclude(shared_key="")
    }


@transaction.atomic
def path_create(*, enrollment, certification) -> CertificationPath:
    """Create a path and copy the certification's step templates into it (idempotent).

    A step another path of the enrollment already has under the same shared key (CPR
    card, coursework, externship) is not copied again: that step counts for this path."""
    path, created = CertificationPath.objects.get_or_create(
        enrollment=enrollment, certification=certification
    )
    if created:
        cohort = enrollment.cohort
        shared = _shared_steps_of(enrollment)
        new_steps = []
        for template in certification.path_steps.all():
            existing = shared.get(template.shared_key) if template.shared_key else None
            if existing is not None:
                existing.also_counts_for.add(path)
            else:
                new_steps.append(
                    PathStep(path=path, template=template, **_step_fields(template, cohort))
                )
        PathStep.objects.bulk_create(new_steps)
        progress.path_recompute(path)
    return path


def _has_progress(step):
    return (
        step.status != PathStep.Status.TODO
        or step.count
        or step.date_value
        or step.evidence.exists()
        or step.reviews.exists()
    )


@transaction.atomic
def path_apply_template(*, path) -> dict:
    """Bring a started path in line with its certification's current template.

    Steps still in the template get the new wording, order, target and due date and keep
    the student's progress (status, counts, dates, evidence, reviews). New template steps
    are added. Steps whose template was removed are deleted if untouched, otherwise kept
    (staff can waive them). Returns how many steps were added, updated, removed, kept."""
    path = (
        CertificationPath.objects.select_for_update()
        .select_related("enrollment__cohort")
        .get(pk=path.pk)
    )
    cohort = path.enrollment.cohort
    templates = list(path.certification.path_steps.all())
    steps = {s.template_id: s for s in path.steps.all() if s.template_id}
    shared_in = {s.shared_key for s in path.shared_steps.all() if s.shared_key}
    summary = {"added": 0, "updated": 0, "removed": 0, "kept": 0}
    current_ids = set()
    for template in templates:
        current_ids.add(template.pk)
        if template.shared_key and template.shared_key in shared_in:
            continue  # another path's step stands for it
        fields = _step_fields(template, cohort)
        step = steps.get(template.pk)
        if step is None:
            PathStep.objects.create(path=path, template=template, **fields)
            summary["added"] += 1
            continue
        changed = [name for name, value in fields.items() if not _same(getattr(step, name), value)]
        if changed:
            for name in changed:
                setattr(step, name, fields[name])
            step.save(update_fields=[*changed, "updated_at"])
            summary["updated"] += 1
    for step in path.steps.all():
        if step.template_id in current_ids:
            continue
        if _has_progress(step):
            summary["kept"] += 1
        else:
            step.delete()
            summary["removed"] += 1
    path.template_applied_at = timezone.now()
    path.save(update_fields=["template_applied_at"])
    progress.path_recompute(path)
    return summary


@transaction.atomic
def enrollment_create(
    *,
    email,
    cohort,
    certifications,
    first_name="",
    last_name="",
    created_by=None,
    request=None,
    notify=True,
) -> Enrollment:
    """Enroll a person in a cohort, aiming for the given certifications.

    Reuses the account with this e-mail address (case-insensitive) or creates one with
    no usable password, a profile and a verified e-mail address. Creates one path per
    certification from its template. A person who has never set a password gets an
    invitation link; anyone else gets a "you've been enrolled" e-mail."""
    email = User.objects.normalize_email(email)
    if not email:
        raise ValidationError({"email": "Enter the student's e-mail address."})
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email, password=None, first_name=first_name, last_name=last_name
                )
        except IntegrityError:  # the same person enrolled at the same moment (double submit)
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                raise
    else:
        changed = []
        if first_name and not user.first_name:
            user.first_name = first_name
            changed.append("first_name")
        if last_name and not user.last_name:
            user.last_name = last_name
            changed.append("last_name")
        if changed:
            user.save(update_fields=changed)
    EmailAddress.objects.update_or_create(
        user=user, email__iexact=email, defaults={"email": email, "verified": True, "primary": True}
    )
    profile_ensure(user=user)
    if Enrollment.objects.filter(student=user, cohort=cohort).exists():
        raise ValidationError(
            {"cohort": f"{email} is already enrolled in this cohort."}, code="duplicate"
        )
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                student=user, cohort=cohort, created_by=created_by
            )
    except IntegrityError as exc:  # a concurrent enrollment won the race
        raise ValidationError(
            {"cohort": f"{email} is already enrolled in this cohort."}, code="duplicate"
        ) from exc
    for certification in certifications:
        path_create(enrollment=enrollment, certification=certification)
    if notify:
        if user.has_usable_password():
            enrollment_notify(enrollment=enrollment, request=request)
        else:
            invitation_send(
                user=user, created_by=created_by, request=request, enrollment=enrollment
            )
    return enrollment


def enrollment_notify(*, enrollment, request=None):
    """Tell an existing account holder about a new enrollment."""
    enrollment = Enrollment.objects.select_related(
        "student", "cohort__offering__program", "cohort__offering__campus"
    ).get(pk=enrollment.pk)
    paths = list(enrollment.paths.select_related("certification"))
    with language_of(enrollment.student):
        _send(
            language=user_language(enrollment.student),
            template="enrolled",
            to=enrollment.student.email,
            context={
                "user": enrollment.student,
                "enrollment": enrollment,
                "paths": paths,
                "acronyms": ", ".join(path.certification.acronym for path in paths),
                "portal_url": _absolute_url(reverse("portal:dashboard"), request),
                "login_url": _absolute_url(reverse("account_login"), request),
                "reset_url": _absolute_url(reverse("account_reset_password"), request),
            },
        )
