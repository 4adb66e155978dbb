from django import template
from django.utils import timezone

from programs import dates

register = template.Library()


@register.filter
def local_date(value, kind="long"):
    """``{{ value|local_date:"weekday" }}``: see programs/dates.py for the kinds."""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return dates.local_date(value, kind)
