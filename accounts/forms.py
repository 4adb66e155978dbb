"""Portal forms. Writes go through accounts.services; uploads through accounts.uploads."""

import secrets

from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import services, uploads
from accounts.models import StudentProfile
from programs.models import Campus

UPLOAD_LIMIT_MESSAGE = _(
    "You have uploaded many files in the last hour, so this one was not accepted. "
    "Wait an hour and try again, or ask your campus for help."
)
PHOTO_LIMIT_MESSAGE = _(
    "You have changed your photo several times in the last hour, so this one was not "
    "accepted. Wait an hour and try again."
)


def _refuse_if_limited(form, message):
    """Forms told (by the view's rate limit) that this upload is over the budget refuse
    it before any check or decoding runs."""
    if not form.uploads_allowed:
        raise ValidationError(message, code="rate_limited")


class StepForm(forms.Form):
    """Base for the per-step forms on the path page: ids unique per step."""

    def __init__(self, *args, step, **kwargs):
        kwargs.setdefault("prefix", f"step-{step.pk}")
        super().__init__(*args, **kwargs)
        self.step = step


class StepCountForm(StepForm):
    count = forms.IntegerField(min_value=0, max_value=services.MAX_COUNT)

    def __init__(self, *args, step, **kwargs):
        kwargs.setdefault("initial", {"count": step.count})
        super().__init__(*args, step=step, **kwargs)
        unit = step.unit or gettext("count")
        field = self.fields["count"]
        field.label = gettext("Your %(unit)s so far") % {"unit": unit}
        field.help_text = (
            gettext("Target: %(target)s %(unit)s.") % {"target": step.target, "unit": unit}
            if step.target
            else ""
        )
        field.widget.attrs.update({"inputmode": "numeric", "class": "count-input"})
        field.error_messages["min_value"] = gettext("Enter 0 or more.")
        field.error_messages["max_value"] = gettext("Enter %(max)s or less.") % {
            "max": f"{services.MAX_COUNT:,}"
        }
        field.error_messages["invalid"] = gettext("Enter a whole number, like 112.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StepDateForm(StepForm):
    date_value = forms.DateField(
        widget=DateInput(), error_messages={"invalid": _("Enter a date, like 2026-05-14.")}
    )

    def __init__(self, *args, step, **kwargs):
        kwargs.setdefault("initial", {"date_value": step.date_value})
        super().__init__(*args, step=step, **kwargs)
        label = gettext("Your exam date") if step.milestone == "exam_scheduled" else gettext("Date")
        self.fields["date_value"].label = label


class EvidenceForm(StepForm):
    file = forms.FileField(
        label=_("Add a file"),
        help_text=uploads.TYPES_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT_ATTRIBUTE}),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("This file is empty."),
            "invalid": _("Choose a file to upload."),
        },
    )

    def __init__(self, *args, uploads_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.uploads_allowed = uploads_allowed
        self.fields["file"].widget.attrs["data-file-name"] = f"step-{self.step.pk}-file-chosen"

    def clean_file(self):
        _refuse_if_limited(self, UPLOAD_LIMIT_MESSAGE)
        return uploads.validate_evidence(self.cleaned_data["file"])


class CEActivityForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        label=_("Activity title"),
        error_messages={"required": _("Enter the activity's title, as on its certificate.")},
    )
    provider = forms.CharField(
        max_length=200,
        label=_("Provider"),
        help_text=_("Who offered it, e.g. AAMA e-Learning."),
        error_messages={"required": _("Enter who offered the activity.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        error_messages={"required": _("Choose the category the credits count toward.")},
    )
    credits = forms.DecimalField(
        min_value=0.25,
        max_value=100,
        decimal_places=2,
        max_digits=5,
        label=_("Credits"),
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
        error_messages={
            "invalid": _("Enter a number of credits, like 1.5."),
            "required": _("Enter the credits on the certificate, like 1.5."),
        },
    )
    completed_on = forms.DateField(
        label=_("Date completed"),
        widget=DateInput(),
        error_messages={
            "invalid": _("Enter a date, like 2026-05-14."),
            "required": _("Enter the date you completed it."),
        },
    )
    proof = forms.FileField(
        required=False,
        label=_("Certificate of completion (optional)"),
        help_text=uploads.TYPES_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args, credential, uploads_allowed=True, **kwargs):
        kwargs.setdefault("prefix", f"ce-{credential.pk}")
        super().__init__(*args, **kwargs)
        self.credential = credential
        self.uploads_allowed = uploads_allowed
        categories = services.ce_categories(credential.certification)
        category = self.fields["category"]
        if len(categories) == 1:
            # Nothing to choose: the certification's one category, said in the help text.
            category.choices = categories
            category.initial = categories[0][0]
            category.widget = forms.HiddenInput()
        else:
            category.choices = [("", gettext("Choose a category")), *categories]
        self.fields["proof"].widget.attrs["data-file-name"] = f"{self.prefix}-proof-chosen"
        self.fields["completed_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if not proof:
            return None
        _refuse_if_limited(self, UPLOAD_LIMIT_MESSAGE)
        return uploads.validate_evidence(proof)


def apply_service_errors(form, error: ValidationError):
    """Show a service's ValidationError on the form, per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(max_length=150, label=_("First name"))
    last_name = forms.CharField(max_length=150, label=_("Last name"))
    new_photo = forms.FileField(
        required=False,
        label=_("Photo"),
        help_text=_(
            "A JPEG, PNG or WebP photo of up to 10 MB. We resize it and remove its location data."
        ),
        widget=forms.FileInput(attrs={"accept": uploads.PHOTO_ACCEPT_ATTRIBUTE}),
    )
    remove_photo = forms.BooleanField(required=False, label=_("Remove my photo"))
    # Not required: a form sent without it (an older page) keeps the language as it is.
    language = forms.ChoiceField(
        required=False,
        choices=settings.LANGUAGES,
        label=_("Language"),
        help_text=_("Your portal and the e-mails and calendar we send you."),
    )

    class Meta:
        model = StudentProfile
        fields = ["phone", "preferred_campus", "email_updates"]
        labels = {"phone": _("Mobile phone"), "preferred_campus": _("Preferred campus")}
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    field_order = [
        "first_name",
        "last_name",
        "phone",
        "preferred_campus",
        "new_photo",
        "remove_photo",
        "language",
        "email_updates",
    ]

    def __init__(self, *args, user, uploads_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.uploads_allowed = uploads_allowed
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.fields["language"].initial = user.language
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["preferred_campus"].queryset = Campus.objects.published()
        self.fields["preferred_campus"].empty_label = gettext("No preference")
        self.fields["new_photo"].widget.attrs["data-file-name"] = "id_new_photo-chosen"
        if not self.instance.photo:
            del self.fields["remove_photo"]

    def clean_first_name(self):
        return _clean_name(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return _clean_name(self.cleaned_data["last_name"])

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])

    def clean_new_photo(self):
        photo = self.cleaned_data.get("new_photo")
        if not photo:
            return None
        _refuse_if_limited(self, PHOTO_LIMIT_MESSAGE)
        return uploads.validate_photo(photo)

    def save(self, commit=True):
        """Save the profile; a new photo replaces the one stored *now*, not the one read
        when the form was built, so saves at the same moment leave exactly one file."""
        profile = super().save(commit=False)
        storage = profile.photo.storage
        clean = self.cleaned_data.get("new_photo")
        new_name = None
        if clean is not None:
            # A random name: nothing about the student in the file name.
            name = profile.photo.field.generate_filename(
                profile, f"{secrets.token_urlsafe(18)}.jpg"
            )
            new_name = storage.save(name, clean.content)
        try:
            with transaction.atomic():
                current = (
                    StudentProfile.objects.select_for_update()
                    .filter(pk=profile.pk)
                    .values_list("photo", flat=True)
                    .first()
                )
                if new_name:
                    profile.photo.name = new_name
                elif self.cleaned_data.get("remove_photo"):
                    profile.photo = ""
                else:
                    profile.photo.name = current or ""
                profile.save()
                self.user.first_name = self.cleaned_data["first_name"]
                self.user.last_name = self.cleaned_data["last_name"]
                self.user.language = self.cleaned_data.get("language") or self.user.language
                self.user.save(update_fields=["first_name", "last_name", "language"])
        except BaseException:
            if new_name:
                storage.delete(new_name)
            raise
        if current and current != profile.photo.name:
            storage.delete(current)
        return profile


def clean_phone_number(value):
    """A phone number as people type it (digits, spaces, + - ( ) .), 7 to 15 digits."""
    phone = value.strip()
    digits = "".join(ch for ch in phone if ch.isdigit())
    allowed = set("0123456789 +-().")
    if phone and (not set(phone) <= allowed or not 7 <= len(digits) <= 15):
        raise ValidationError(gettext("Enter a phone number, like (214) 555-0147."))
    return phone


def clean_person_name(value):
    return _clean_name(value)


def _clean_name(value):
    value = " ".join(value.split())
    if not value or any(not ch.isprintable() for ch in value):
        raise ValidationError(gettext("Enter your name as it should appear on your records."))
    return value


class InvitationPasswordForm(SetPasswordForm):
    """Django's SetPasswordForm: the password validators run against the invited user."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = gettext("Choose a password")
        self.fields["new_password2"].label = gettext("Type it again")
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"

    def save(self, commit=True):
        raise NotImplementedError("Use services.invitation_accept.")
