"""Forms of the apply pages: the short account form and one form per application step.

The forms check what a person typed (a real date, a ZIP code); what an application
needs before it is sent, and every status change, is ``accounts.services.applications``.
"""

import re
from datetime import date

from allauth.account.forms import SignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts import uploads
from accounts.forms import DateInput, clean_person_name, clean_phone_number
from accounts.models import Application, ApplicationDocument
from programs.dates import local_date
from programs.models import Schedule

MAX_AGE = 100
OLDEST_GRADUATION_YEAR = 1940
US_STATES = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "DC",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "PR",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
]
ZIP_RE = re.compile(r"^\d{5}(-\d{4})?$")


class ChooseStartForm(forms.Form):
    """The filters of /apply/ (GET): program, campus, schedule; each optional."""

    program = forms.ChoiceField(required=False, label=_("Program"))
    campus = forms.ChoiceField(required=False, label=_("Campus"))
    schedule = forms.ChoiceField(required=False, label=_("Schedule"))

    def __init__(self, *args, programs, campuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", _("Any program"))] + [
            (p.slug, p.title) for p in programs
        ]
        self.fields["campus"].choices = [("", _("Either campus"))] + [
            (c.slug, c.name) for c in campuses
        ]
        self.fields["schedule"].choices = [("", _("Any schedule"))] + [
            (value, _("%(schedule)s classes") % {"schedule": label})
            for value, label in Schedule.choices
        ]

    def value(self, name):
        """The filter's valid value, or "" (an unknown slug filters nothing)."""
        if not self.is_bound:
            return self.initial.get(name, "")
        return self.cleaned_data.get(name, "") if self.is_valid() else ""


class ApplySignupForm(SignupForm):
    """allauth's signup form (same e-mail and password checks, same enumeration
    protection), with the applicant's name and one password field."""

    first_name = forms.CharField(max_length=150, label=_("First name"))
    last_name = forms.CharField(max_length=150, label=_("Last name"))

    field_order = ["first_name", "last_name", "email", "password1"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("password2", None)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        email = self.fields["email"]
        email.label = _("E-mail")
        email.help_text = _("We send a link to confirm it, then your application opens.")
        email.widget.attrs.pop("placeholder", None)
        password = self.fields["password1"]
        password.label = _("Choose a password")
        password.help_text = _("At least 8 characters; not only numbers, not a common password.")
        password.widget.attrs.pop("placeholder", None)

    def clean_first_name(self):
        return clean_person_name(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return clean_person_name(self.cleaned_data["last_name"])


# --- The steps --------------------------------------------------------------------------


class AboutForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "first_name",
            "last_name",
            "phone",
            "date_of_birth",
            "address",
            "city",
            "state",
            "postal_code",
        ]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "phone": _("Mobile phone"),
            "date_of_birth": _("Date of birth"),
            "address": _("Street address"),
            "city": _("City"),
            "state": _("State"),
            "postal_code": _("ZIP code"),
        }
        help_texts = {
            "first_name": _("As on your photo ID."),
            "phone": _("Admissions calls or texts you about your interview."),
        }
        widgets = {
            "date_of_birth": DateInput(),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True
        autocomplete = {
            "first_name": "given-name",
            "last_name": "family-name",
            "address": "street-address",
            "city": "address-level2",
            "state": "address-level1",
            "postal_code": "postal-code",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["state"].widget = forms.Select(
            choices=[(code, code) for code in US_STATES], attrs={"autocomplete": "address-level1"}
        )
        self.fields["postal_code"].widget.attrs["inputmode"] = "numeric"
        today = timezone.localdate()
        self.fields["date_of_birth"].widget.attrs.update(
            {
                "max": self.latest_birth_date().isoformat(),
                "min": f"{today.year - MAX_AGE}-01-01",
            }
        )
        self.fields["date_of_birth"].error_messages["invalid"] = _("Enter a date, like 2001-05-14.")
        messages = {
            "first_name": _("Enter your first name."),
            "last_name": _("Enter your last name."),
            "phone": _("Enter a phone number where admissions can reach you."),
            "date_of_birth": _("Enter your date of birth."),
            "address": _("Enter your street address."),
            "city": _("Enter your city."),
            "state": _("Choose your state."),
            "postal_code": _("Enter your ZIP code."),
        }
        for name, text in messages.items():
            self.fields[name].error_messages["required"] = text

    def clean_first_name(self):
        return clean_person_name(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return clean_person_name(self.cleaned_data["last_name"])

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])

    def minimum_age(self):
        """The program's own rule (Program.minimum_age), on the start date applied to."""
        return self.instance.cohort.offering.program.minimum_age

    def latest_birth_date(self):
        return _years_before(self.instance.cohort.start_date, self.minimum_age())

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise ValidationError(_("Your date of birth cannot be in the future."))
        if born > self.latest_birth_date():
            raise ValidationError(
                _(
                    "Applicants to this program must be at least %(age)s years old on the "
                    "start date (%(start)s)."
                )
                % {
                    "age": self.minimum_age(),
                    "start": local_date(self.instance.cohort.start_date, "long"),
                }
            )
        if born < date(today.year - MAX_AGE, 1, 1):
            raise ValidationError(_("Check the year of your date of birth."))
        return born

    def clean_address(self):
        return " ".join(self.cleaned_data["address"].split())

    def clean_city(self):
        return " ".join(self.cleaned_data["city"].split())

    def clean_state(self):
        state = self.cleaned_data["state"].strip().upper()
        if state not in US_STATES:
            raise ValidationError(_("Choose a U.S. state."))
        return state

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if not ZIP_RE.match(value):
            raise ValidationError(_("Enter a 5-digit ZIP code, like 76010."))
        return value


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # February 29
        return day.replace(year=day.year - years, day=28)


class EducationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["education", "school_name", "graduation_year"]
        labels = {
            "education": _("Your high-school education"),
            "school_name": _("School or testing center"),
            "graduation_year": _("Year you graduated or passed"),
        }
        help_texts = {
            "school_name": _(
                "The high school that gave your diploma, or where you passed the GED."
            ),
        }
        widgets = {"education": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True
        self.fields["education"].choices = Application.Education.choices
        year = self.fields["graduation_year"]
        year.widget = forms.NumberInput(attrs={"inputmode": "numeric"})
        year.error_messages.update(
            {
                "required": _("Enter the year, like 2019."),
                "invalid": _("Enter the year, like 2019."),
            }
        )
        self.fields["education"].error_messages["required"] = _(
            "Choose your high-school diploma or equivalent."
        )
        self.fields["school_name"].error_messages["required"] = _("Enter the school's name.")

    def clean_school_name(self):
        return " ".join(self.cleaned_data["school_name"].split())

    def clean_graduation_year(self):
        year = self.cleaned_data["graduation_year"]
        if not OLDEST_GRADUATION_YEAR <= year <= timezone.localdate().year:
            raise ValidationError(
                _("Enter a year between %(oldest)s and %(this_year)s.")
                % {"oldest": OLDEST_GRADUATION_YEAR, "this_year": timezone.localdate().year}
            )
        return year


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Which document is it?"),
        choices=ApplicationDocument.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which document this is.")},
    )
    file = forms.FileField(
        label=_("File"),
        help_text=format_lazy(
            "{} {}", uploads.TYPES_HELP, _("A clear photo taken with your phone is fine.")
        ),
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
        self.fields["file"].widget.attrs["data-file-name"] = "id_file-chosen"

    def clean_file(self):
        if not self.uploads_allowed:
            raise ValidationError(
                _(
                    "You have uploaded many files in the last hour, so this one was not "
                    "accepted. Wait an hour and try again, or call admissions."
                ),
                code="rate_limited",
            )
        return uploads.validate_evidence(self.cleaned_data["file"])


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["consent_truthful", "consent_contact"]
        labels = {
            "consent_truthful": _(
                "I confirm that the information and documents in this application are true "
                "and complete."
            ),
            "consent_contact": _(
                "Admissions may contact me by phone, text message or e-mail about this application."
            ),
        }
        help_texts = {"consent_truthful": "", "consent_contact": ""}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_truthful"].required = True
        self.fields["consent_truthful"].error_messages["required"] = _(
            "Confirm that your application is true and complete."
        )
        self.fields["consent_contact"].required = True
        self.fields["consent_contact"].error_messages["required"] = _(
            "Agree to be contacted: admissions needs to reach you to schedule your interview."
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=1000,
        label=_("Why are you withdrawing? (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
