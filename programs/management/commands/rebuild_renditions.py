"""Bring every public image to the current renditions: content-named files at the widths
of ``programs.images.RENDITION_WIDTHS``. Idempotent; run it after a deployment that
changes the widths or the naming (`make deploy` steps in the README)."""

from django.core.management.base import BaseCommand

from programs.images import rebuild_renditions
from programs.models import Campus, Program


class Command(BaseCommand):
    help = (
        "Re-create the renditions of program and campus images whose widths or file "
        "names are out of date (safe to run twice; --force rebuilds all)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rebuild every image.")

    def handle(self, *args, force=False, **options):
        rebuilt = current = missing = 0
        for model in (Campus, Program):
            for obj in model.objects.all():
                for outcome in rebuild_renditions(obj, force=force):
                    if outcome == "rebuilt":
                        rebuilt += 1
                    elif outcome == "missing":
                        missing += 1
                        self.stderr.write(f"{model.__name__} {obj.pk}: image file missing")
                    else:
                        current += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Renditions: {rebuilt} images rebuilt, {current} already current, "
                f"{missing} missing."
            )
        )
