# Dates as the site writes them in US English. Django's named formats (used by the `date`
# filter and django.utils.formats.date_format) plus the site's own WEEKDAY_* names, read by
# programs.dates.local_date / the `local_date` template filter.
DATE_FORMAT = "F j, Y"  # December 4, 2026
SHORT_DATE_FORMAT = "M j, Y"  # Dec 4, 2026
MONTH_DAY_FORMAT = "M j"  # Dec 4
YEAR_MONTH_FORMAT = "F Y"  # December 2026
TIME_FORMAT = "g:i a"  # 9:30 a.m.
DATETIME_FORMAT = "F j, Y, g:i a"
SHORT_DATETIME_FORMAT = "M j, Y, g:i a"
WEEKDAY_DATE_FORMAT = "l, F j, Y"  # Monday, January 4, 2027
WEEKDAY_MONTH_DAY_FORMAT = "l, F j"  # Monday, January 4
WEEKDAY_DATETIME_FORMAT = "l, F j, Y, g:i a T"  # Monday, January 4, 2027, 9:30 a.m. CST
SHORT_WEEKDAY_DATE_FORMAT = "D, M j, Y"  # Mon, Jan 4, 2027
# Numbers and money: 14,950.50
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
