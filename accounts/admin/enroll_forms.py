"""What every enroll form shares (one student or a batch): the cohort chooser, the
certification goals and the rules they are checked by."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect

from accounts.cohorts import CONFIRM_LABEL, cohort_choice_label, seat_check
from accounts.models import Enrollment
from careers.models import Certification
from programs.models import Cohort


class CohortChoiceField(forms.ModelChoiceField):
    """A cohort with its status and seats taken (``cohort_choices`` annotates them)."""

    def label_from_instance(self, obj):
        return cohort_choice_label(obj)


class CertificationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.acronym} ({obj.body.acronym}): {obj.name}"


def cohort_autocomplete():
    """Search-as-you-type for an enroll form's cohort (the admin autocomplete lets
    staff who may add enrollments use it: ``EnrollmentAdmin.autocomplete_form_fields``)."""
    return AutocompleteSelect(Enrollment._meta.get_field("cohort"), admin.site)


def certification_goals_field():
    return CertificationChoiceField(
        label="Certification goals",
        queryset=Certification.objects.filter(programs__isnull=False)
        .distinct()
        .select_related("body")
        .order_by("order", "acronym"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "radiolist"}),
        help_text="Only certifications the cohort's program prepares for. Leave all unticked "
        "for the program's main certification. Steps the goals share (CPR card, coursework, "
        "externship) are one step for the student.",
    )


def enroll_anyway_field():
    return forms.BooleanField(
        label=CONFIRM_LABEL,
        required=False,
        help_text="Needed only when the cohort is full, has a waitlist or has fewer seats "
        "left than students to enroll.",
    )


def clean_enrollment_choices(form, cleaned, *, adding=1):
    """The checks every enroll form makes (one student or a batch): the cohort takes
    students (``accounts.cohorts.seat_check``; a full or waitlisted one only once
    confirmed) and the certification goals suit its program. Errors go on the form;
    ``cleaned["certifications"]`` becomes the goals to create."""
    cohort = cleaned.get("cohort")
    if cohort is None:
        return
    check = seat_check(cohort, adding=adding)
    if check.refused:
        form.add_error("cohort", check.refused)
    elif check.warning and not cleaned.get("enroll_anyway"):
        form.add_error("enroll_anyway", check.warning)
    form.seat_warning = check.warning
    cleaned["certifications"] = enrollment_goals(
        form, cohort, list(cleaned.get("certifications") or [])
    )


def enrollment_goals(form, cohort, chosen):
    """The certification paths to create: ticked ones the program prepares for, or
    its main certification (its only one) when none is ticked."""
    program = cohort.offering.program
    prepared = list(program.certifications.all())
    outside = [c.acronym for c in chosen if c not in prepared]
    if outside:
        form.add_error(
            "certifications",
            f"{program.title} does not prepare for {', '.join(outside)}. Choose among: "
            f"{', '.join(c.acronym for c in prepared) or 'none (enroll without a goal)'}.",
        )
        return []
    if chosen or not prepared:
        return chosen
    main = next((c for c in prepared if c.pk == program.main_certification_id), None)
    if main is None and len(prepared) == 1:
        main = prepared[0]
    if main is None:
        form.add_error(
            "certifications",
            f"Tick the certification(s) the student aims for: {program.title} prepares "
            f"for {', '.join(c.acronym for c in prepared)}.",
        )
        return []
    return [main]


def narrow_goals_to_cohort(field, cohort_id):
    """With the cohort known (?cohort=<id>): only its program's certifications, the
    main one ticked."""
    cohort_id = str(cohort_id or "")
    cohort = (
        Cohort.objects.select_related("offering__program").filter(pk=cohort_id).first()
        if cohort_id.isdigit()
        else None
    )
    if cohort is None:
        return
    program = cohort.offering.program
    field.queryset = program.certifications.select_related("body").order_by("order", "acronym")
    field.help_text = (
        f"What {program.title} prepares for. Steps the goals share (CPR card, "
        "coursework, externship) are one step for the student."
    )
    if program.main_certification_id:
        field.initial = [program.main_certification_id]
