from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

# Each app ships its own demo loader; order matters (programs link to careers,
# enrolments link to both). Every loader is idempotent.
LOADERS = [
    "careers.demo.load",
    "programs.demo.load",
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

    def handle(self, *args, **options):
        for dotted in LOADERS:
            try:
                loader = import_string(dotted)
            except ImportError:
                continue
            with transaction.atomic():
                loader(
                    stdout=self.stdout,
                    style=self.style,
                    with_accounts=settings.DEBUG or options["with_accounts"],
                    reset_passwords=options["reset_passwords"],
                )
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))
