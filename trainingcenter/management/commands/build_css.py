from django.core.management.base import BaseCommand

from trainingcenter.css_bundles import BUNDLES, build_bundles


class Command(BaseCommand):
    help = "Build the minified stylesheet bundles (Bootstrap's Sass plus the site's CSS)."

    def handle(self, *args, **options):
        changed = build_bundles()
        if options["verbosity"] >= 1:
            self.stdout.write(f"CSS: {len(BUNDLES)} bundle(s), {len(changed)} written.")
