"""The admin's search-as-you-type choices, told in words staff can pick from.

Django's autocomplete answers with ``str(obj)``; a cohort's ``str`` says neither its
schedule nor how full it is, and a user's may be a bare name. This view (installed as
``admin.site.autocomplete_view`` in trainingcenter/urls.py) orders and labels the
choices of the models staff choose most, and lets whoever may fill in a field see its
choices, as a plain select would show them.
"""

from django.contrib.admin.views.autocomplete import AutocompleteJsonView

from accounts.cohorts import cohort_choice_label, cohort_label, cohorts_for_choosing
from accounts.models import Enrollment, User
from programs.models import Cohort


def user_choice_label(user):
    name = user.get_full_name()
    return f"{name} <{user.email}>" if name else user.email


def enrollment_choice_label(enrollment):
    return f"{user_choice_label(enrollment.student)} · {cohort_label(enrollment.cohort)}"


def _enrollments(enrollments):
    return enrollments.select_related(
        "student", "cohort__offering__program", "cohort__offering__campus"
    ).prefetch_related(None)  # the changelist's paths are not shown here


# model: (queryset -> queryset in the order staff look for, object -> option text)
CHOICES = {
    Cohort: (cohorts_for_choosing, cohort_choice_label),
    User: (lambda users: users, user_choice_label),
    Enrollment: (_enrollments, enrollment_choice_label),
}


class StaffAutocompleteJsonView(AutocompleteJsonView):
    def get_queryset(self):
        queryset = super().get_queryset()
        arrange, _ = CHOICES.get(queryset.model, (None, None))
        if queryset.model is User and not super().has_perm(self.request):
            # Allowed through the form that offers the field, not to manage accounts:
            # the people such a form is about (students), never staff accounts.
            queryset = queryset.filter(is_staff=False, is_superuser=False)
        return arrange(queryset) if arrange else queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        _, label = CHOICES.get(type(obj), (None, None))
        if label:
            result["text"] = label(obj)
        return result

    def has_perm(self, request, obj=None):
        """View permission on the chosen model (Django's rule), or permission to add or
        change the record whose form offers the field: staff who may enroll students
        can pick a cohort without managing cohorts."""
        if super().has_perm(request, obj):
            return True
        source_admin = self.admin_site._registry.get(self.source_field.model)
        if source_admin is None:
            return False
        offered = {
            *source_admin.get_autocomplete_fields(request),
            *getattr(source_admin, "autocomplete_form_fields", ()),
        }
        return self.source_field.name in offered and (
            source_admin.has_add_permission(request) or source_admin.has_change_permission(request)
        )


def staff_autocomplete_view(admin_site):
    return StaffAutocompleteJsonView.as_view(admin_site=admin_site)
