"""The interface's translations: `locale/<lang>/LC_MESSAGES/*.po` are the source, kept in
the repository; the binary `.mo` files Django reads are built from them, never committed
and never edited by hand. polib compiles them (pure Python), so installing the site needs
no GNU gettext; only `make messages` (extracting new strings) does.

Compiled by `manage.py compile_translations`, which `make install` / `install-dev`, `make
serve` and the test suite's start call (and a deployment runs beside collectstatic): a `.mo` older than its `.po` is rebuilt, a fresh one is kept.
Fuzzy and untranslated entries are left out, so Django falls back to the English text.
"""

from pathlib import Path

import polib
from django.conf import settings


def catalogs():
    """Every .po file under the project's LOCALE_PATHS."""
    for root in settings.LOCALE_PATHS:
        yield from sorted(Path(root).glob("*/LC_MESSAGES/*.po"))


def compile_catalogs(*, force=False):
    """Build each stale .mo; return the paths written."""
    written = []
    for po_path in catalogs():
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalog = polib.pofile(str(po_path))
        tmp = mo_path.with_suffix(".mo.tmp")
        catalog.save_as_mofile(str(tmp))
        tmp.replace(mo_path)
        written.append(mo_path)
    return written
