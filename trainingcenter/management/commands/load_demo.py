from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string

from careers.search import rebuild_index
from trainingcenter.demo import DATA_DIR

# Order matters (programs link to careers, enrollments link to both). Every loader is
# idempotent. Careers and programs content is data (trainingcenter/demo/data/, English,
# with its Spanish in es*.json); the demo accounts are built by code. The loaders write
# the English columns of translated fields, so English is active while they run.
LOADERS = [
    "trainingcenter.demo.careers.load",
    "trainingcenter.demo.programs.load",
    # After the content it translates, before the accounts whose paths copy its Spanish.
    "trainingcenter.demo.spanish.load",
    "accounts.demo.load",
]


class Command(BaseCommand):
    help = "Load the demo content (idempotent). Demo accounts are created only when DEBUG is on."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo accounts new generated passwords and print them.",
        )
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help="Create the demo accounts even with DEBUG off (test suites only).",
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="Folder holding careers.json, programs.json and es*.json (default: %(default)s).",
        )

    def handle(self, *args, **options):
        with translation.override("en"):
            self._load(options)
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))

    def _load(self, options):
        for dotted in LOADERS:
            loader = import_string(dotted)
            with transaction.atomic():
                loader(
                    stdout=self.stdout,
                    style=self.style,
                    with_accounts=settings.DEBUG or options["with_accounts"],
                    reset_passwords=options["reset_passwords"],
                    data_dir=options["data_dir"],
                )
        # The Spanish columns are written in bulk (no save signals): index both languages
        # once everything is in.
        count = rebuild_index()
        self.stdout.write(f"Search index: {count} documents.")
