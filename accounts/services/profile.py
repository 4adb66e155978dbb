"""The student's profile: calendar link and data export."""

from django.db import transaction
from django.utils import timezone

from accounts.models import (
    Credential,
    Enrollment,
    Invitation,
    ReminderLog,
    StudentProfile,
    new_calendar_token,
)
from accounts.services.common import Kind


def profile_ensure(*, user) -> StudentProfile:
    profile, _ = StudentProfile.objects.get_or_create(
        user=user, defaults={"calendar_token": new_calendar_token()}
    )
    return profile


# --- Profile and calendar -------------------------------------------------------------


@transaction.atomic
def calendar_token_reset(*, user) -> str:
    """Give the student a new secret calendar URL; the old one stops working."""
    profile = profile_ensure(user=user)
    profile.calendar_token = new_calendar_token()
    profile.save(update_fields=["calendar_token", "updated_at"])
    return profile.calendar_token


def profile_export(*, user) -> dict:
    """Everything the portal holds about a student, as JSON-ready data."""
    profile = profile_ensure(user=user)

    def day(value):
        return value.isoformat() if value else None

    enrollments = (
        Enrollment.objects.owned_by(user)
        .select_related("cohort__offering__program", "cohort__offering__campus")
        .prefetch_related("paths__certification", "paths__steps__evidence", "paths__steps__reviews")
    )
    credentials = (
        Credential.objects.owned_by(user)
        .select_related("certification")
        .prefetch_related("ce_activities")
    )
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "profile": {
            "phone": profile.phone,
            "preferred_campus": str(profile.preferred_campus or "") or None,
            "has_photo": bool(profile.photo),
        },
        "enrollments": [
            {
                "program": e.cohort.offering.program.title,
                "campus": e.cohort.offering.campus.name,
                "schedule": e.cohort.offering.get_schedule_display(),
                "cohort_start": day(e.cohort.start_date),
                "cohort_graduation": day(e.cohort.graduation_date),
                "status": e.get_status_display(),
                "enrolled_on": day(e.enrolled_on),
                "certification_paths": [
                    {
                        "certification": p.certification.name,
                        "acronym": p.certification.acronym,
                        "progress_percent": p.progress_percent,
                        "status": p.get_status_display(),
                        "steps": [
                            {
                                "order": s.order,
                                "title": s.title,
                                "status": s.student_status_label,
                                "count": s.count if s.kind == Kind.COUNT else None,
                                "target": s.target,
                                "unit": s.unit,
                                "date": day(s.date_value),
                                "due_date": day(s.due_date),
                                "staff_note": s.staff_note,
                                "rejection_reason": s.rejection_reason,
                                "evidence": [
                                    {
                                        "file": ev.original_name,
                                        "type": ev.content_type,
                                        "size": ev.size,
                                        "uploaded_at": ev.uploaded_at.isoformat(),
                                    }
                                    for ev in s.evidence.all()
                                ],
                                "reviews": [
                                    {
                                        "action": r.student_label,
                                        "reason": r.reason,
                                        "at": r.created_at.isoformat(),
                                    }
                                    for r in s.reviews.all()
                                ],
                            }
                            for s in p.steps.all()
                        ],
                    }
                    for p in e.paths.all()
                ],
            }
            for e in enrollments
        ],
        "invitations": [
            {
                "created_at": i.created_at.isoformat(),
                "expires_at": i.expires_at.isoformat(),
                "used_at": i.used_at.isoformat() if i.used_at else None,
            }
            for i in Invitation.objects.filter(user=user)
        ],
        "reminders_sent": [
            {"about": r.key, "days_before": r.days_before, "sent_at": r.sent_at.isoformat()}
            for r in ReminderLog.objects.filter(user=user)
        ],
        "credentials": [
            {
                "certification": c.certification.name,
                "acronym": c.certification.acronym,
                "number": c.number,
                "name_on_credential": c.name_on_credential,
                "issued_on": day(c.issued_on),
                "expires_on": day(c.expires_on),
                "ce_activities": [
                    {
                        "title": a.title,
                        "provider": a.provider,
                        "category": a.category,
                        "credits": str(a.credits),
                        "completed_on": day(a.completed_on),
                        "has_proof": bool(a.proof),
                    }
                    for a in c.ce_activities.all()
                ],
            }
            for c in credentials
        ],
    }
