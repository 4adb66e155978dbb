"""Bulk enrollment: one cohort, a pasted list or a CSV file of students.

Step 1 previews what happens to each line and saves nothing; step 2 checks everything
again (the page may have been edited) and enrolls the valid lines one by one through
``services.enrollment_create``, under the same rules as the single enroll form
(``clean_enrollment_choices``).
"""

import csv
from dataclasses import dataclass
from email.utils import parseaddr

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from accounts import services
from accounts.admin.common import cohort_choices, cohort_label
from accounts.admin.enroll_forms import (
    CohortChoiceField,
    certification_goals_field,
    clean_enrollment_choices,
    cohort_autocomplete,
    enroll_anyway_field,
    narrow_goals_to_cohort,
)
from accounts.models import Enrollment, User
from programs.models import Cohort

MAX_ROWS = 200
MAX_BYTES = 100 * 1024
NAME_MAX = 150
HEADER_NAMES = {"email", "e-mail", "email address", "e-mail address"}


@dataclass
class BulkRow:
    line: int
    email: str
    first_name: str = ""
    last_name: str = ""
    error: str = ""
    existing: User | None = None

    @property
    def name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def outcome(self):
        if self.error:
            return f"Not enrolled: {self.error}"
        if self.existing is not None:
            return "Existing account: enrolled and told by e-mail"
        return "New account: created, invitation e-mailed"


def parse_line(number, line):
    """One student from "email", "First Last <email>" or "email, first, last"."""
    if "<" in line and ">" in line:
        name, address = parseaddr(line)
        first, _, last = name.strip().partition(" ")
        return BulkRow(number, address or line.strip(), first.strip(), last.strip())
    try:
        cells = [cell.strip() for cell in next(csv.reader([line]), [])]
    except csv.Error:  # e.g. a field longer than the csv module accepts
        return BulkRow(number, "", error="this line could not be read as a CSV line.")
    cells += ["", "", ""]
    return BulkRow(number, cells[0], cells[1], cells[2])


def parse_rows(text):
    """Every non-blank line as a BulkRow, numbered as the staff member sees it; a first
    line naming the columns (email, first_name, last_name) is skipped."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        row = parse_line(number, line)
        if not rows and row.email.lower() in HEADER_NAMES:
            continue
        rows.append(row)
    return rows


def check_rows(rows, cohort):
    """Mark what each row will do: invalid e-mail, duplicate line, already enrolled,
    existing account or new one (two queries, whatever the number of rows)."""
    seen = {}
    for row in rows:
        if row.error:
            continue
        row.email = User.objects.normalize_email(row.email)
        try:
            if len(row.email) > 254:
                raise ValidationError("too long")
            validate_email(row.email)
        except ValidationError:
            row.error = "not a valid e-mail address."
            continue
        if len(row.first_name) > NAME_MAX or len(row.last_name) > NAME_MAX:
            row.error = f"a name is longer than {NAME_MAX} characters."
            continue
        key = row.email.lower()
        if key in seen:
            row.error = f"duplicate of line {seen[key]}."
            continue
        seen[key] = row.line
    users = {
        u.email.lower(): u
        for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=seen)
    }
    enrolled = set(
        Enrollment.objects.filter(cohort=cohort, student__in=users.values()).values_list(
            "student_id", flat=True
        )
    )
    for row in rows:
        if row.error:
            continue
        row.existing = users.get(row.email.lower())
        if row.existing is not None and row.existing.pk in enrolled:
            row.error = "already enrolled in this cohort."
    return rows


class BulkEnrollForm(forms.Form):
    cohort = CohortChoiceField(
        queryset=Cohort.objects.none(),  # set per form: "upcoming" depends on the day
        widget=cohort_autocomplete(),
        help_text="Type a program, campus or schedule. Upcoming starts come first.",
    )
    certifications = certification_goals_field()
    rows = forms.CharField(
        label="Students",
        required=False,
        max_length=MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 60, "spellcheck": "false"}),
        help_text="One student per line: an e-mail address, “First Last <email>” or "
        f"“email, first name, last name”. At most {MAX_ROWS} lines.",
    )
    csv_file = forms.FileField(
        label="Or a CSV file",
        required=False,
        help_text="Columns: email, first_name, last_name (a header line is optional). "
        f"UTF-8 text, at most {MAX_ROWS} rows and {MAX_BYTES // 1024} KB.",
    )
    enroll_anyway = enroll_anyway_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohort_choices()
        self.rows_checked = []
        self.text = ""
        self.seat_warning = ""

    def clean_csv_file(self):
        upload = self.cleaned_data.get("csv_file")
        if not upload:
            return None
        if upload.size > MAX_BYTES:
            raise ValidationError(
                f"The file is {upload.size // 1024} KB; at most {MAX_BYTES // 1024} KB "
                f"({MAX_ROWS} students) at a time."
            )
        raw = upload.read()
        # The name and the browser's content type prove nothing: read the bytes.
        try:
            if b"\x00" in raw:
                raise UnicodeDecodeError("utf-8", raw, 0, 1, "NUL byte")
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                f"{upload.name} is not a CSV text file. In a spreadsheet, use "
                "“Save as” and choose “CSV UTF-8 (comma delimited)”."
            ) from None

    def clean(self):
        cleaned = super().clean()
        pasted, from_file = cleaned.get("rows", ""), cleaned.get("csv_file")
        if pasted.strip() and from_file:
            self.add_error("csv_file", "Paste a list or choose a file, not both.")
            return cleaned
        if "csv_file" in self.errors:
            return cleaned
        self.text = from_file or pasted
        rows = parse_rows(self.text)
        if not rows:
            self.add_error("rows", "Paste at least one student, or choose a CSV file.")
            return cleaned
        if len(rows) > MAX_ROWS:
            self.add_error(
                "csv_file" if from_file else "rows",
                f"At most {MAX_ROWS} students at a time; this list has {len(rows)}.",
            )
            return cleaned
        cohort = cleaned.get("cohort")
        if cohort is not None:
            self.rows_checked = check_rows(rows, cohort)
        clean_enrollment_choices(self, cleaned, adding=max(len(self.valid_rows), 1))
        return cleaned

    @property
    def valid_rows(self):
        return [row for row in self.rows_checked if not row.error]

    @property
    def ready(self):
        """Everything but the confirmation is in order: the enroll button may show."""
        return bool(self.valid_rows) and set(self.errors) <= {"enroll_anyway"}


def bulk_enroll_view(model_admin, request):
    """Step 1 ("Preview") shows what each line will do; step 2 ("Enroll") re-checks
    and enrolls the valid lines. Needs permission to add enrollments."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method == "POST":
        form = BulkEnrollForm(request.POST, request.FILES)
        valid = form.is_valid()
        if valid and "_enroll" in request.POST and form.valid_rows:
            return _enroll(request, form)
        if form.text and not form.errors.get("rows"):
            # A file is read once: step 2 sends its lines back as text.
            data = request.POST.copy()
            data["rows"] = form.text
            form.data = data
    else:
        cohort_id = request.GET.get("cohort", "")
        cohort_id = (
            cohort_id if cohort_id.isdigit() and len(cohort_id) < 10 else None
        )  # hand-edited
        form = BulkEnrollForm(initial={"cohort": cohort_id})
        narrow_goals_to_cohort(form.fields["certifications"], cohort_id)
    rows = form.rows_checked
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Enroll several students",
        "subtitle": None,
        "opts": model_admin.model._meta,
        "form": form,
        "rows": rows,
        "valid_count": len(form.valid_rows),
        "error_count": len(rows) - len(form.valid_rows),
        "new_count": sum(1 for r in form.valid_rows if r.existing is None),
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/accounts/enrollment/bulk_enroll.html", context)


def _enroll(request, form):
    cohort = form.cleaned_data["cohort"]
    goals = form.cleaned_data["certifications"]
    enrolled, refused = [], [r for r in form.rows_checked if r.error]
    for row in form.valid_rows:
        try:
            services.enrollment_create(
                email=row.email,
                cohort=cohort,
                certifications=goals,
                first_name=row.first_name,
                last_name=row.last_name,
                created_by=request.user,
                request=request,
            )
        except ValidationError as exc:  # enrolled meanwhile by someone else
            row.error = " ".join(exc.messages)
            refused.append(row)
        else:
            enrolled.append(row)
    new = sum(1 for r in enrolled if r.existing is None)
    (messages.success if enrolled else messages.warning)(
        request,
        f"Enrolled {len(enrolled)} student{'s' if len(enrolled) != 1 else ''} in "
        f"{cohort_label(cohort)}: {new} new account{'s' if new != 1 else ''} invited by "
        f"e-mail, {len(enrolled) - new} existing account{'s' if len(enrolled) - new != 1 else ''} "
        "told by e-mail.",
    )
    if refused:
        refused.sort(key=lambda r: r.line)
        messages.warning(
            request,
            f"Not enrolled ({len(refused)}): "
            + "; ".join(f"line {r.line} ({r.email or 'empty'}): {r.error}" for r in refused),
        )
    changelist = reverse("admin:accounts_enrollment_changelist")
    return HttpResponseRedirect(f"{changelist}?cohort={cohort.pk}")
