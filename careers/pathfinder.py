"""Find your path: turn the questionnaire's answers into a role, certifications and programs.

Every recommendation carries a plain-language "why". Runs a fixed number of queries.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Prefetch, Q
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from careers.models import Certification, Role, WorkPreference
from programs.dates import local_date
from programs.models import Offering, Program, Schedule


class NeedleComfort(models.TextChoices):
    YES = "yes", _("I'm comfortable with them")
    UNSURE = "unsure", _("I'm not sure yet")
    NO = "no", _("I'd rather avoid them")


@dataclass
class ProgramMatch:
    program: object
    why: str
    offerings: list = field(default_factory=list)
    other_offerings: list = field(default_factory=list)


@dataclass
class Recommendation:
    role: Role | None
    role_why: str
    certifications: list = field(default_factory=list)  # [(certification, why)]
    programs: list = field(default_factory=list)  # [ProgramMatch] that fit campus and schedule
    alternatives: list = field(default_factory=list)  # [ProgramMatch] elsewhere or other times
    note: str = ""


def _preference(work, needles):
    """Which role the answers lead to: needle-averse answers lead to office work."""
    if work == WorkPreference.OFFICE or needles == NeedleComfort.NO:
        return WorkPreference.OFFICE
    return work


def _role_why(work, needles, preference):
    if preference == WorkPreference.OFFICE and work != WorkPreference.OFFICE:
        return gettext(
            "You'd rather avoid needles, and clinical medical assistants give injections and "
            "prepare blood samples most days. Front-office work keeps you with patients "
            "without the needles: you welcome them, book their visits and keep their records."
        )
    if preference == WorkPreference.OFFICE:
        return gettext(
            "You prefer office work: administrative medical assistants run the front desk, "
            "schedules, records and insurance paperwork."
        )
    if preference == WorkPreference.PATIENTS:
        why = gettext(
            "You want to care for patients: clinical medical assistants take vital signs, "
            "help with examinations and give injections as the physician directs."
        )
    else:
        why = gettext(
            "You'd like a mix of patient care and office work: medical assistants in smaller "
            "practices often do both, and a clinical certification keeps both doors open."
        )
    if needles == NeedleComfort.UNSURE:
        why += " " + gettext(
            "You're not sure about needles yet: you practice injections and blood draws in "
            "class, under supervision, before your externship."
        )
    return why


def _offering_label(offering):
    return gettext("%(schedule)s classes in %(campus)s") % {
        "schedule": offering.get_schedule_display().lower(),
        "campus": offering.campus.name,
    }


def _schedule_label(schedule):
    return Schedule(schedule).label.lower() if schedule else ""


def recommend_path(*, work, needles, schedule=None, campus=None):
    """Recommend a role, its certifications and the programs that prepare for them.

    schedule: "day", "evening" or None for either; campus: a Campus or None for either.
    """
    preference = _preference(work, needles)
    role = (
        Role.objects.recommended_for(preference)
        .prefetch_related(
            Prefetch(
                "certifications",
                queryset=Certification.objects.published().select_related("body"),
                to_attr="published_certifications",
            )
        )
        .first()
    )
    if role is None:
        return Recommendation(
            role=None,
            role_why="",
            note=gettext(
                "We're updating our career information: call either campus and an "
                "admissions advisor will help you choose."
            ),
        )
    certifications = role.published_certifications
    offerings = (
        Offering.objects.active()
        .filter(
            program__in=Program.objects.filter(Q(certifications__in=certifications) | Q(roles=role))
        )
        .select_related("program", "campus")
        .with_upcoming()
        .prefetch_related(
            Prefetch(
                "program__certifications",
                queryset=Certification.objects.published(),
                to_attr="published_certifications",
            )
        )
        .order_by("program__order", "program__title", "campus__order", "campus__name", "schedule")
    )
    recommended_ids = {cert.pk for cert in certifications}
    matches = {}
    for offering in offerings:
        program = offering.program
        if program.pk not in matches:
            prepares = [c for c in program.published_certifications if c.pk in recommended_ids]
            if prepares:
                why = ngettext(
                    "Prepares you for the %(exams)s exam.",
                    "Prepares you for the %(exams)s exams.",
                    len(prepares),
                ) % {"exams": get_text_list([c.acronym for c in prepares], gettext("and"))}
            else:
                why = gettext("Trains you for work as a %(role)s.") % {"role": role.title.lower()}
            matches[program.pk] = ProgramMatch(program=program, why=why)
        fits = (campus is None or offering.campus_id == campus.pk) and (
            schedule is None or offering.schedule == schedule
        )
        target = matches[program.pk].offerings if fits else matches[program.pk].other_offerings
        target.append(offering)

    fitting, alternatives = [], []
    if schedule and campus:
        wanted = gettext("%(schedule)s classes in %(campus)s") % {
            "schedule": _schedule_label(schedule),
            "campus": campus.name,
        }
    elif schedule:
        wanted = gettext("%(schedule)s classes") % {"schedule": _schedule_label(schedule)}
    elif campus:
        wanted = gettext("classes in %(campus)s") % {"campus": campus.name}
    else:
        wanted = gettext("classes")
    for match in matches.values():
        if match.offerings:
            first = match.offerings[0]
            nxt = first.next_cohort
            if nxt:
                few = f", {nxt.availability_label}" if nxt.few_seats_left else ""
                match.why += " " + gettext("Next start: %(date)s (%(offering)s%(few)s).") % {
                    "date": local_date(nxt.start_date, "short"),
                    "offering": _offering_label(first),
                    "few": few,
                }
            fitting.append(match)
        else:
            # Closest first: the wanted schedule elsewhere, then the wanted campus.
            match.other_offerings.sort(
                key=lambda o: (
                    schedule is not None and o.schedule != schedule,
                    campus is not None and o.campus_id != campus.pk,
                )
            )
            elsewhere = get_text_list(
                [_offering_label(o) for o in match.other_offerings], gettext("or")
            )
            match.why += " " + gettext(
                "It doesn't run as %(wanted)s right now: it runs as %(elsewhere)s."
            ) % {"wanted": wanted, "elsewhere": elsewhere}
            alternatives.append(match)

    cert_whys = []
    taught = {c.pk for m in matches.values() for c in m.program.published_certifications}
    for cert in certifications:
        why = gettext("%(track)s credential issued by %(body)s (%(acronym)s).") % {
            "track": cert.get_track_display(),
            "body": cert.body.name,
            "acronym": cert.body.acronym,
        }
        if cert.pk in taught:
            why += " " + gettext("Our programs prepare you for its exam.")
        cert_whys.append((cert, why))

    note = ""
    if not fitting and not alternatives:
        note = gettext(
            "None of our current programs lead to this role yet: ask an admissions advisor "
            "about upcoming programs."
        )
    elif not fitting:
        note = gettext(
            "None of the programs for this path runs as %(wanted)s right now. Here are the "
            "closest matches, at other times or at our other campus."
        ) % {"wanted": wanted}
    return Recommendation(
        role=role,
        role_why=_role_why(work, needles, preference),
        certifications=cert_whys,
        programs=fitting,
        alternatives=alternatives,
        note=note,
    )
