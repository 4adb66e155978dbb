"""Reads of the programs catalogue that careers pages need (which programs, where, when).

Each function runs a fixed number of queries, whatever the number of programs or cohorts.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from programs.models import Campus, Offering, Program


def active_offerings():
    """Active offerings with their campus and upcoming cohorts (``next_cohort`` works)."""
    return (
        Offering.objects.active()
        .select_related("campus")
        .with_upcoming()
        .order_by("campus__order", "campus__name", "schedule")
    )


def published_programs_prefetch(lookup="programs"):
    """Prefetch a relation's published programs, each with its active offerings."""
    return Prefetch(
        lookup,
        queryset=Program.objects.published().prefetch_related(
            Prefetch("offerings", queryset=active_offerings(), to_attr="active_offerings")
        ),
        to_attr="published_programs",
    )


@dataclass
class CampusPrograms:
    campus: Campus
    offerings: list = field(default_factory=list)

    @property
    def programs(self):
        """[(program, [offerings])] in catalogue order."""
        grouped = {}
        for offering in self.offerings:
            grouped.setdefault(offering.program, []).append(offering)
        return list(grouped.items())


def campus_groups(offerings):
    """Group offerings (with program and campus loaded) by campus, keeping their order."""
    groups = {}
    for offering in offerings:
        groups.setdefault(offering.campus, CampusPrograms(offering.campus)).offerings.append(
            offering
        )
    return list(groups.values())


def medical_assistant_offerings():
    """Active offerings of programs that prepare for a medical-assistant certification."""
    return list(
        Offering.objects.active()
        .filter(
            program__in=Program.objects.filter(
                certifications__is_medical_assistant=True,
                certifications__published=True,
            )
        )
        .select_related("program", "campus")
        .with_upcoming()
        .order_by("campus__order", "campus__name", "program__order", "program__title", "schedule")
    )
