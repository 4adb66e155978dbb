import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from programs.images import picture_context
from programs.models import next_open_start as next_open_start_rule

register = template.Library()

# Inside <script>, "</script>" or "<!--" in a program title would end or break the block.
_JSON_LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """A ``<script type="application/ld+json">`` block, safe for any text in ``data``."""
    if not data:
        return ""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(
        '<script type="application/ld+json">' + payload.translate(_JSON_LD_ESCAPES) + "</script>"
    )


@register.inclusion_tag("programs/includes/_picture.html")
def picture(renditions, alt, sizes="100vw", eager=False, css_class=""):
    """A responsive <picture>: WebP with JPEG fallback, width/height, lazy unless ``eager``."""
    return {
        "picture": picture_context(
            renditions, alt=alt, sizes=sizes, eager=eager, css_class=css_class
        )
    }


@register.filter
def money(value):
    """$14,950 (no cents when whole)."""
    if value is None:
        return ""
    if value == int(value):
        return f"${int(value):,}"
    return f"${value:,.2f}"


@register.filter
def percent(value):
    if value is None:
        return gettext("Not reported")
    return f"{int(value)}%" if value == int(value) else f"{value:.1f}%"


@register.simple_tag
def next_open_start(offering, offerings=()):
    """``{% next_open_start offering row.offerings as cohort %}``: where a full start
    sends a visitor (``programs.models.next_open_start``)."""
    return next_open_start_rule(offering, offerings)
