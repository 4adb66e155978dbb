"""Staff see where Spanish is missing: visitors never do (a Spanish page shows the English).

``SpanishStatusMixin`` adds to a translated model's admin a "Spanish" column (complete, or
which texts are missing), a "Spanish" filter and a note on the change form. It reads only
the row's own columns: no query per row.
"""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from modeltranslation.translator import translator

ENGLISH = "en"
SPANISH = "es"


def translated_fields(model):
    return list(translator.get_options_for_model(model).fields)


def spanish_missing(obj):
    """The translated fields of ``obj`` that have English but no Spanish yet."""
    return [
        field
        for field in translated_fields(type(obj))
        if getattr(obj, f"{field}_{ENGLISH}") and not getattr(obj, f"{field}_{SPANISH}")
    ]


def _missing_q(model):
    missing = Q()
    for field in translated_fields(model):
        english, spanish = f"{field}_{ENGLISH}", f"{field}_{SPANISH}"
        missing |= Q(**{f"{english}__gt": ""}) & (
            Q(**{f"{spanish}__isnull": True}) | Q(**{spanish: ""})
        )
    return missing


class SpanishFilter(admin.SimpleListFilter):
    title = "Spanish"
    parameter_name = "spanish"

    def lookups(self, request, model_admin):
        return [("missing", "Missing texts"), ("complete", "Complete")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(_missing_q(queryset.model))
        if self.value() == "complete":
            return queryset.exclude(_missing_q(queryset.model))
        return queryset


def _label(model, field):
    return str(model._meta.get_field(field).verbose_name)


class SpanishStatusMixin:
    """For a TranslationAdmin: the Spanish column, filter and change-form note."""

    @admin.display(description="Spanish")
    def spanish_status(self, obj):
        missing = spanish_missing(obj)
        if not missing:
            return mark_safe('<span class="spanish-complete">complete</span>')
        return format_html(
            '<span class="spanish-missing">missing {}: {}</span>',
            len(missing),
            ", ".join(_label(type(obj), field) for field in missing),
        )

    def get_list_display(self, request):
        return [*super().get_list_display(request), "spanish_status"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), SpanishFilter]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, admin.utils.unquote(object_id))
            missing = spanish_missing(obj) if obj is not None else []
            if missing:
                labels = ", ".join(_label(type(obj), field) for field in missing)
                messages.warning(
                    request,
                    f"Spanish is missing for: {labels}. Visitors reading Spanish see the "
                    "English text of these fields until you fill in their [es] version.",
                )
        return super().change_view(request, object_id, form_url, extra_context)
