"""Small display helpers for the portal templates."""

from datetime import date

from django import template
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.models import staff_name_for_students

register = template.Library()


@register.filter
def staff_name(user):
    """The author of a decision as students read it (``staff_name_for_students``)."""
    return staff_name_for_students(user or None)


@register.filter
def days_phrase(day, today=None):
    """'today', 'tomorrow', 'in 12 days', 'yesterday', '3 days overdue'."""
    if not isinstance(day, date):
        return ""
    today = today if isinstance(today, date) else timezone.localdate()
    days = (day - today).days
    if days == 0:
        return gettext("today")
    if days == 1:
        return gettext("tomorrow")
    if days > 1:
        return ngettext("in %(days)d day", "in %(days)d days", days) % {"days": days}
    return ngettext("%(days)d day overdue", "%(days)d days overdue", -days) % {"days": -days}


@register.filter
def days_ago_phrase(day, today=None):
    """For expiries: 'in 45 days', 'today', 'expired 3 days ago'."""
    if not isinstance(day, date):
        return ""
    today = today if isinstance(today, date) else timezone.localdate()
    days = (day - today).days
    if days > 1:
        return ngettext("in %(days)d day", "in %(days)d days", days) % {"days": days}
    if days == 1:
        return gettext("tomorrow")
    if days == 0:
        return gettext("today")
    return ngettext("%(days)d day ago", "%(days)d days ago", -days) % {"days": -days}


@register.filter
def is_past(day, today=None):
    if not isinstance(day, date):
        return False
    today = today if isinstance(today, date) else timezone.localdate()
    return day < today


@register.filter
def credits(value):
    """1.50 -> '1.5', 10.00 -> '10'."""
    try:
        return f"{value.normalize():f}"
    except AttributeError:
        return value
