"""The funnel report page and its CSV (served by ApplicationAdmin under .../funnel/)."""

import csv

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify

from accounts import funnel
from accounts.reports import _csv_safe
from programs.models import Campus, Program


class FunnelForm(forms.Form):
    campus = forms.ModelChoiceField(
        queryset=Campus.objects.order_by("name"), required=False, empty_label="All campuses"
    )
    program = forms.ModelChoiceField(
        queryset=Program.objects.order_by("title"), required=False, empty_label="All programs"
    )
    months = forms.IntegerField(
        label="Months",
        min_value=1,
        max_value=funnel.MAX_MONTHS,
        required=False,
        help_text=f"How many months back, this one included (1 to {funnel.MAX_MONTHS}).",
    )

    def filters(self):
        data = self.cleaned_data
        return {
            "campus": data.get("campus"),
            "program": data.get("program"),
            "months": data.get("months") or funnel.DEFAULT_MONTHS,
        }


def funnel_scope(filters):
    parts = [filters["campus"].name if filters.get("campus") else "all campuses"]
    if filters.get("program"):
        parts.append(filters["program"].title)
    parts.append(f"last {filters['months']} months")
    return parts


def funnel_filename(filters, today):
    return f"admissions-funnel-{slugify(' '.join(funnel_scope(filters)))[:80]}-{today:%Y-%m-%d}.csv"


def funnel_view(modeladmin, request):
    if not modeladmin.has_view_permission(request):
        raise PermissionDenied
    today = timezone.localdate()
    form = FunnelForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    filters = form.filters() if valid else {"campus": None, "program": None, "months": 12}
    rows, totals = funnel.funnel(today=today, **filters)
    heading = "Admissions funnel: " + ", ".join(funnel_scope(filters))
    if valid and request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{funnel_filename(filters, today)}"'
        )
        response["Cache-Control"] = "private, no-store"
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([heading])
        writer.writerow(["Month", "Campus", *funnel.STAGES])
        for row in rows:
            writer.writerow([f"{row.month:%Y-%m}", _csv_safe(row.campus), *row.counts])
        writer.writerow(["Total", "", *totals])
        return response
    query = request.GET.copy()
    query["format"] = "csv"
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": heading,
        "subtitle": None,
        "opts": modeladmin.model._meta,
        "form": form,
        "rows": rows,
        "totals": totals,
        "stages": funnel.STAGES,
        "definition": funnel.DEFINITION,
        "csv_url": f"?{query.urlencode()}",
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/accounts/application/funnel.html", context)
