from django.core.management.base import BaseCommand

from trainingcenter.translations import compile_catalogs


class Command(BaseCommand):
    help = "Compile the .po translation catalogs in locale/ to .mo (pure Python, no gettext)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rebuild every .mo file.")

    def handle(self, *args, force=False, **options):
        written = compile_catalogs(force=force)
        if options["verbosity"] >= 1:
            self.stdout.write(f"Translations: {len(written)} catalog(s) compiled.")
