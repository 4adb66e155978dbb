from django.core.management.base import BaseCommand

from trainingcenter.css_bundles import BUNDLES, build_bundles


class Command(BaseCommand):
    help = "Build the minified stylesheet bundles (Bootstrap's Sass plus the site's CSS)."
    # The output folder is a STATICFILES_DIRS entry: before the first build the checks
    # would warn that it does not exist yet.
    requires_system_checks = []

    def handle(self, *args, **options):
        changed = build_bundles()
        if options["verbosity"] >= 1:
            self.stdout.write(f"CSS: {len(BUNDLES)} bundle(s), {len(changed)} written.")
