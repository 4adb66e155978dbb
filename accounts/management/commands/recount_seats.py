"""Recount every cohort's seats taken from its enrollments and accepted applications:
a repair after rows were written past the receivers (a raw SQL fix, a bulk load)."""

from django.core.management.base import BaseCommand

from accounts.cohorts import cohorts_seats_recompute


class Command(BaseCommand):
    help = "Recount the seats taken in every cohort (accounts.cohorts.cohort_seats_recompute)."

    def handle(self, *args, **options):
        changed = cohorts_seats_recompute()
        self.stdout.write(f"Seats recounted: {changed} cohort(s) corrected.")
