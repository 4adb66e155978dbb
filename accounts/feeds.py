"""The student's private calendar feed (iCalendar, RFC 5545) and its reset.

Calendar apps (Google Calendar, Outlook, Apple Calendar) subscribe to the URL without
logging in, so the secret token in the URL is the only key: it is long, random, compared
in constant time, and the student can replace it at any time from their profile. A new
password (changed, reset or set by staff) replaces it too: see User.save.
The iCalendar text is written by the `icalendar` library (escaping, line folding, CRLF
line endings); all events are all-day dates, so the feed needs no time zones.
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, date, timedelta

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views import View

from accounts import deadlines, services
from accounts.models import Enrollment, StudentProfile
from accounts.services.applications import interview_calendar  # noqa: F401  (the interview .ics)
from programs.languages import language_of

# A token shorter than this was never issued: refuse it before touching the database.
MIN_TOKEN_LENGTH = 20
CALENDAR_REFRESH = timedelta(hours=6)


# --- iCalendar writing -----------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""
    category: str = ""

    def component(self, *, stamp):
        event = icalendar.Event()
        event.add("uid", self.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", self.day)
        event.add("dtend", self.day + timedelta(days=1))
        event.add("summary", self.summary)
        if self.description:
            event.add("description", self.description)
        if self.url:
            event.add("url", self.url)
        if self.category:
            event.add("categories", [self.category])
        event.add("transp", "TRANSPARENT")
        return event


def render_calendar(events, *, name, now=None):
    """The whole VCALENDAR as text with CRLF line endings and folded lines."""
    stamp = (now or timezone.now()).astimezone(UTC)
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", f"-//{settings.SCHOOL_NAME}//Student portal//EN")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", CALENDAR_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(CALENDAR_REFRESH))
    for event in sorted(events, key=lambda e: (e.day, e.uid)):
        calendar.add_component(event.component(stamp=stamp))
    return calendar.to_ical(sorted=False).decode("utf-8")  # properties in the order added


# --- What goes into a student's calendar ---------------------------------------


def student_calendar_events(user, *, absolute_uri, uid_domain):
    """The student's deadlines (accounts.deadlines) and their cohorts' first and last days.

    Four queries whatever the number of enrollments, paths and steps. Withdrawn
    enrollments add nothing: their deadlines no longer apply."""
    events = []

    enrollments = (
        Enrollment.objects.owned_by(user)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .select_related("cohort__offering__program", "cohort__offering__campus")
    )
    dashboard = absolute_uri(reverse("portal:dashboard"))
    for enrollment in enrollments:
        cohort = enrollment.cohort
        program = cohort.offering.program.title
        campus = cohort.offering.campus.name
        events.append(
            CalendarEvent(
                uid=f"cohort-{cohort.pk}-start@{uid_domain}",
                day=cohort.start_date,
                summary=gettext("%(program)s: first day of class") % {"program": program},
                description=gettext("%(program)s starts at the %(campus)s campus.")
                % {"program": program, "campus": campus},
                url=dashboard,
                category=gettext("Cohort"),
            )
        )
        events.append(
            CalendarEvent(
                uid=f"cohort-{cohort.pk}-graduation@{uid_domain}",
                day=cohort.graduation_date,
                summary=gettext("%(program)s: estimated graduation") % {"program": program},
                description=gettext(
                    "Estimated graduation date of your %(program)s cohort at %(campus)s."
                )
                % {"program": program, "campus": campus},
                url=dashboard,
                category=gettext("Cohort"),
            )
        )

    for deadline in deadlines.for_student(user, today=timezone.localdate()):
        cert = deadline.certification
        if deadline.kind == "exam":
            uid, summary, description = "exam", deadline.title, deadline.detail
            category = gettext("Exam")
        elif deadline.kind == "step":
            uid, category = "due", gettext("Deadline")
            summary = gettext("Due: %(title)s (%(acronym)s)") % {
                "title": deadline.title,
                "acronym": cert.acronym,
            }
            description = gettext("%(title)s: due for your %(acronym)s path.") % {
                "title": deadline.title,
                "acronym": cert.acronym,
            }
            if deadline.detail:
                description += f"\n\n{deadline.detail}"
        else:
            uid, category = "expires", gettext("Renewal")
            summary = gettext("%(acronym)s credential expires: renew before this day") % {
                "acronym": cert.acronym
            }
            description = gettext("Your %(name)s (%(acronym)s) credential expires on this day.") % {
                "name": cert.name,
                "acronym": cert.acronym,
            }
            if cert.renewal_summary:
                description += "\n\n" + gettext("How to renew: %(summary)s") % {
                    "summary": cert.renewal_summary
                }
        owner = "credential" if deadline.kind == "credential" else "step"
        events.append(
            CalendarEvent(
                uid=f"{owner}-{deadline.pk}-{uid}@{uid_domain}",
                day=deadline.day,
                summary=summary,
                description=description,
                url=absolute_uri(deadline.url_path),
                category=category,
            )
        )
    return events


# --- Views ------------------------------------------------------------------------


def profile_for_token(token):
    """The profile whose calendar token is exactly `token`, or None."""
    if not token or len(token) < MIN_TOKEN_LENGTH or len(token) > 64:
        return None
    profile = StudentProfile.objects.select_related("user").filter(calendar_token=token).first()
    # The index lookup finds the row; the final check is constant-time and exact
    # (some databases compare strings case-insensitively or ignore trailing spaces).
    if profile is None or not secrets.compare_digest(
        profile.calendar_token.encode(), token.encode()
    ):
        return None
    if not profile.user.is_active:
        return None
    return profile


class CalendarFeedView(View):
    """GET /portal/calendar/<token>.ics: no login, the token is the key."""

    http_method_names = ["get", "head"]

    def get(self, request, token):
        profile = profile_for_token(token)
        if profile is None:
            raise Http404("No calendar for this link.")
        user = profile.user
        # The owner's language, whatever the calendar app asks for: the links too.
        with language_of(user):
            events = student_calendar_events(
                user,
                absolute_uri=request.build_absolute_uri,
                uid_domain=request.get_host().split(":")[0],
            )
            name = f"{settings.SCHOOL_NAME}: {user.get_full_name() or user.email}"
            body = render_calendar(events, name=name)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private"
        response["Content-Disposition"] = 'inline; filename="trinity-career-institute.ics"'
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response


class CalendarResetView(LoginRequiredMixin, View):
    """POST /portal/calendar/reset/: the old link stops working at once."""

    http_method_names = ["post"]

    def post(self, request):
        services.calendar_token_reset(user=request.user)
        messages.success(
            request,
            gettext(
                "Your calendar link was reset. The old link no longer works: subscribe again "
                "with the new link below in Google Calendar, Outlook or Apple Calendar."
            ),
        )
        return HttpResponseRedirect(reverse("portal:profile"))
