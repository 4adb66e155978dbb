import time

from django.core.management.base import BaseCommand

from careers import search


class Command(BaseCommand):
    help = (
        "Rebuild the site search index from the content, in every language. Content "
        "edits rebuild it on their own; run this after loading rows past the ORM's signals."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        documents = search.rebuild_index()
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index: {documents} documents in {time.perf_counter() - started:.1f} s."
            )
        )
