"""Dates written in the visitor's language: one name per kind of date, one pattern per
language (trainingcenter/formats/<lang>/formats.py, FORMAT_MODULE_PATH).

Templates: ``{% load dates %}{{ cohort.start_date|local_date:"weekday" }}``; Python:
``local_date(value, "short")``. Never a literal pattern such as "M j, Y" in a template or a
strftime in code that a visitor, student or applicant reads: it would stay in English.
"""

from django.utils.formats import date_format, get_format, iter_format_modules
from django.utils.translation import get_language

KINDS = {
    "long": "DATE_FORMAT",  # December 4, 2026 / 4 de diciembre de 2026
    "short": "SHORT_DATE_FORMAT",  # Dec. 4, 2026 / 4 dic 2026
    "month_day": "MONTH_DAY_FORMAT",  # Dec. 4 / 4 dic
    "year_month": "YEAR_MONTH_FORMAT",  # December 2026 / diciembre de 2026
    "time": "TIME_FORMAT",
    "datetime": "DATETIME_FORMAT",
    "short_datetime": "SHORT_DATETIME_FORMAT",
    "weekday": "WEEKDAY_DATE_FORMAT",  # Monday, January 4, 2027 / lunes, 4 de enero de 2027
    "weekday_month_day": "WEEKDAY_MONTH_DAY_FORMAT",
    "weekday_datetime": "WEEKDAY_DATETIME_FORMAT",
    "short_weekday": "SHORT_WEEKDAY_DATE_FORMAT",
}
_DJANGO_NAMES = {
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "TIME_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
}
_patterns = {}


def pattern(kind):
    """The date pattern of ``kind`` in the active language."""
    name = KINDS[kind]
    if name in _DJANGO_NAMES:
        return get_format(name)
    lang = get_language() or "en"
    key = (lang, name)
    if key not in _patterns:
        found = None
        for module in iter_format_modules(lang):
            found = getattr(module, name, None)
            if found:
                break
        _patterns[key] = found or get_format("DATE_FORMAT")
    return _patterns[key]


def local_date(value, kind="long"):
    """``value`` (date or datetime; aware datetimes should be local already) as text."""
    if value in (None, ""):
        return ""
    return date_format(value, pattern(kind))
