"""Filters for careers pages: safe JSON-LD and paragraph text staff type in the admin."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from careers.models import is_stale

register = template.Library()

# Inside <script> the only danger is text that closes the element or opens a comment:
# escaping <, > and & as JSON unicode escapes keeps the JSON identical and inert.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(value):
    """Serialise a dict for a <script type="application/ld+json"> element."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_SCRIPT_ESCAPES))


@register.filter
def rich_text(value):
    """Paragraphs separated by blank lines; a block of "- " lines becomes a list."""
    blocks = [block.strip() for block in str(value or "").replace("\r\n", "\n").split("\n\n")]
    html = []
    for block in filter(None, blocks):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:].strip(),) for line in lines))
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{escape(' '.join(lines))}</p>")
    return mark_safe("\n".join(html))


@register.filter
def stale(as_of):
    """True when a fact was checked more than a year ago (or never)."""
    return is_stale(as_of)


@register.filter
def duration_label(months):
    """60 -> "5 years", 18 -> "18 months"."""
    if not months:
        return ""
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
