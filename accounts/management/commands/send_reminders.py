"""E-mail students about upcoming deadlines (accounts.deadlines: step due dates, exam
dates, credential expiry).

Safe to run every hour from cron. Each deadline has a key (what it is about and its
date) and is reminded at 90, 60, 30 and 7 days before. A run sends only the most recent
threshold already reached, and only if neither it nor a later one was sent: a missed
run (or a deadline added 20 days ahead) gives one reminder, not a burst of old ones.
A ReminderLog row is written before the e-mail goes out, under a unique constraint,
so two overlapping runs cannot both send; a failed send removes its rows so the next
run tries again.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts import deadlines
from accounts.models import ReminderLog, User
from programs.emails import send_templated_email
from programs.languages import language_of, user_language
from programs.links import site_url

logger = logging.getLogger(__name__)

THRESHOLDS = (90, 60, 30, 7)


def threshold_for(days_left):
    """The most recent threshold reached `days_left` days before a deadline, or None."""
    if days_left < 0:
        return None
    reached = [t for t in THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


@dataclass(frozen=True)
class Reminder:
    user: User
    key: str
    kind: str  # "step", "exam" or "credential"
    day: date
    days_left: int
    threshold: int
    title: str
    detail: str
    url_path: str

    @property
    def url(self):
        return site_url(self.url_path)

    @property
    def when(self):
        if self.days_left == 0:
            return gettext("today")
        if self.days_left == 1:
            return gettext("tomorrow")
        return ngettext("in %(days)d day", "in %(days)d days", self.days_left) % {
            "days": self.days_left
        }

    @property
    def headline(self):
        what = {"title": self.title, "when": self.when}
        if self.kind == "step":
            return gettext("%(title)s is due %(when)s") % what
        if self.kind == "exam":
            return gettext("your %(title)s is %(when)s") % what
        # "your CMA credential expires in 30 days"
        return gettext("your %(title)s %(when)s") % what

    @property
    def date_label(self):
        if self.kind == "step":
            return gettext("Due")
        if self.kind == "exam":
            return gettext("Exam date")
        return gettext("Expires")


def candidate_reminders(today):
    """Every deadline (accounts.deadlines) within the largest threshold whose reminder
    is due today. Three queries, whatever the number of students."""
    found = []
    horizon = today + timedelta(days=max(THRESHOLDS))
    for deadline in deadlines.for_students(today=today, until=horizon):
        threshold = threshold_for(deadline.days)
        if threshold is None:
            continue
        title = deadline.title
        if deadline.kind == "step":
            title = f"{title} ({deadline.certification.acronym})"
        found.append(
            Reminder(
                user=deadline.student,
                key=deadline.key,
                kind=deadline.kind,
                day=deadline.day,
                days_left=deadline.days,
                threshold=threshold,
                title=title,
                detail=deadline.detail,
                url_path=deadline.url_path,
            )
        )
    return found


def due_reminders(today):
    """Candidates minus those already sent (at this threshold or a later one)."""
    candidates = candidate_reminders(today)
    sent = defaultdict(set)
    logs = ReminderLog.objects.filter(key__in={r.key for r in candidates}).values_list(
        "key", "days_before"
    )
    for key, days_before in logs:
        sent[key].add(days_before)
    return [
        r for r in candidates if not any(days_before <= r.threshold for days_before in sent[r.key])
    ]


def reminder_message(user, reminders):
    reminders = sorted(reminders, key=lambda r: (r.day, r.title))
    with language_of(user):
        context = {
            "user": user,
            "name": user.first_name or user.get_full_name() or "",
            "reminders": reminders,
            "school_name": settings.SCHOOL_NAME,
            "dashboard_url": site_url(reverse("portal:dashboard")),
            "profile_url": site_url(reverse("portal:profile")),
        }
        return send_templated_email(
            language=user_language(user),
            template="accounts/email/reminder",
            context=context,
            to=[user.email],
        )


def send_due_reminders(*, today, dry_run=False, stdout=None):
    """Send what is due; returns (e-mails sent, reminders sent)."""
    by_user = defaultdict(list)
    for reminder in due_reminders(today):
        by_user[reminder.user].append(reminder)

    emails = reminders_sent = 0
    for user, reminders in sorted(by_user.items(), key=lambda item: item[0].email):
        if dry_run:
            for r in reminders:
                if stdout:
                    stdout.write(
                        f"Would remind {user.email}: {r.title}, {r.day:%Y-%m-%d} "
                        f"({r.when}, {r.threshold}-day reminder)"
                    )
            emails += 1
            reminders_sent += len(reminders)
            continue
        try:
            # The log rows and the e-mail's task commit together: a reminder is enqueued
            # once, and the worker retries it while the mail server is down.
            with transaction.atomic():
                ReminderLog.objects.bulk_create(
                    ReminderLog(user=user, key=r.key, days_before=r.threshold) for r in reminders
                )
                reminder_message(user, reminders)
        except IntegrityError:
            # Another run is sending these right now.
            continue
        emails += 1
        reminders_sent += len(reminders)
    return emails, reminders_sent


class Command(BaseCommand):
    help = (
        "E-mail students about step due dates, exam dates and expiring credentials "
        "90, 60, 30 and 7 days ahead. Idempotent: safe to run every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )
        parser.add_argument(
            "--today", help="Run as if today were this date (YYYY-MM-DD), for testing."
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today must be a date written YYYY-MM-DD.") from exc
        emails, count = send_due_reminders(
            today=today, dry_run=options["dry_run"], stdout=self.stdout
        )
        verb = "Would send" if options["dry_run"] else "Sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {emails} e-mail{'s' if emails != 1 else ''} "
                f"({count} reminder{'s' if count != 1 else ''}) for {today:%Y-%m-%d}."
            )
        )
