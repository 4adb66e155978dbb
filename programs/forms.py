import re

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from programs.dates import local_date
from programs.models import Campus, Cohort, Field, Inquiry, Program, Schedule


class ProgramFilterForm(forms.Form):
    """The program index filters: a GET form that works without JavaScript.

    Campus choices come from the view's campus list so that the form costs no query of
    its own; an unknown value is an error the page explains, never a 500.
    """

    campus = forms.ChoiceField(
        label=_("Campus"),
        required=False,
        error_messages={
            "invalid_choice": _("We have no campus by that name. Showing every campus.")
        },
    )
    field = forms.ChoiceField(
        label=_("Field"),
        required=False,
        choices=[("", _("All fields")), *Field.choices],
        error_messages={
            "invalid_choice": _("That is not one of our fields of study. Showing every field.")
        },
    )
    schedule = forms.ChoiceField(
        label=_("Schedule"),
        required=False,
        choices=[("", _("Any schedule")), *Schedule.choices],
        error_messages={
            "invalid_choice": _("That is not a class schedule we offer. Showing every schedule.")
        },
    )

    def __init__(self, *args, campuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campus"].choices = [("", _("All campuses"))] + [
            (c.slug, c.name) for c in campuses
        ]

    def filters(self):
        """The valid filters only: a bad value in one filter does not discard the others."""
        self.is_valid()
        data = {}
        for name in self.fields:
            if name in self.errors:
                continue
            value = self.cleaned_data.get(name)
            if value:
                data[name] = value
        return data

    def error_messages(self):
        return [error for errors in self.errors.values() for error in errors]


PHONE_DIGITS = re.compile(r"\D")

# The consent sentence per channel: a visitor agrees only to the way they chose.
CONSENT_LABELS = {
    Inquiry.ContactMethod.EMAIL: _(
        "I agree that Trinity Career Institute may contact me about its programs by e-mail. "
        "I can opt out at any time."
    ),
    Inquiry.ContactMethod.PHONE: _(
        "I agree that Trinity Career Institute may call me about its programs. "
        "I can opt out at any time."
    ),
    Inquiry.ContactMethod.TEXT: _(
        "I agree that Trinity Career Institute may send me text messages about its programs. "
        "I can opt out at any time."
    ),
}


def consent_field_name(method):
    return f"consent_{method}"


class StartSelect(forms.Select):
    """Start dates carrying their program and campus, so the page can show only the
    starts of the chosen program and campus (every start works without JavaScript)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        cohort = getattr(value, "instance", None)
        if cohort is not None:
            option["attrs"]["data-program"] = cohort.offering.program.slug
            option["attrs"]["data-campus"] = cohort.offering.campus.slug
            option["attrs"]["data-schedule"] = cohort.offering.schedule
        return option


class StartChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, cohort):
        offering = cohort.offering
        return (
            f"{local_date(cohort.start_date, 'short')} · {offering.program.title} · "
            f"{offering.campus.name} · {offering.get_schedule_display()}"
        )


class InquiryForm(forms.ModelForm):
    """Request for information. ``website`` is a honeypot: people never see or fill it."""

    program = forms.ModelChoiceField(
        queryset=Program.objects.published(),
        to_field_name="slug",
        required=False,
        label=_("Program"),
        empty_label=_("Not sure yet: help me choose"),
        error_messages={
            "invalid_choice": _(
                "We don't have that program. Choose one from the list, or “Not sure yet”."
            )
        },
    )
    campus = forms.ModelChoiceField(
        queryset=Campus.objects.published(),
        to_field_name="slug",
        empty_label=_("Choose a campus"),
        error_messages={
            "required": _("Choose the campus you would like to attend."),
            "invalid_choice": _("Choose one of our campuses from the list."),
        },
    )
    preferred_cohort = StartChoiceField(
        label=_("Preferred start"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("Not sure yet"),
        widget=StartSelect,
        error_messages={
            "invalid_choice": _(
                "That start date is no longer open. Choose another one, or “Not sure yet”."
            )
        },
    )
    preferred_schedule = forms.ChoiceField(
        label=_("Preferred schedule"),
        required=False,
        choices=[("", _("No preference")), *Schedule.choices],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the schedules in the list.")},
    )
    consent_email = forms.BooleanField(
        label=CONSENT_LABELS[Inquiry.ContactMethod.EMAIL], required=False
    )
    consent_phone = forms.BooleanField(
        label=CONSENT_LABELS[Inquiry.ContactMethod.PHONE], required=False
    )
    consent_text = forms.BooleanField(
        label=CONSENT_LABELS[Inquiry.ContactMethod.TEXT], required=False
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    source_page = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    class Meta:
        model = Inquiry
        fields = [
            "name",
            "email",
            "phone",
            "program",
            "campus",
            "contact_method",
            "preferred_cohort",
            "preferred_schedule",
            "message",
            "source_page",
        ]
        labels = {
            "name": _("Your name"),
            "email": _("E-mail address"),
            "phone": _("Phone number"),
            "contact_method": _("How should admissions reach you?"),
            "message": _("Questions or comments"),
        }
        help_texts = {
            "phone": _("Needed if you prefer a call or a text."),
            "message": _("Optional: start date you have in mind, questions about financial aid…"),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_method": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "name": {"required": _("Tell us your name so admissions know who to ask for.")},
            "email": {
                "required": _("Enter your e-mail address so we can reply."),
                "invalid": _("Enter a complete e-mail address, like name@example.com."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_method"].choices = Inquiry.ContactMethod.choices
        self.fields["preferred_cohort"].queryset = (
            Cohort.objects.open_for_enrollment()
            .filter(offering__active=True, offering__program__published=True)
            .select_related("offering__program", "offering__campus")
            .order_by("start_date", "offering__program__order", "offering__campus__order", "pk")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-6"), Column("email", css_class="col-md-6")),
            "program",
            Row(Column("campus", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
            "preferred_cohort",
            InlineRadios("preferred_schedule"),
            InlineRadios("contact_method"),
            "message",
            # One sentence per channel; the page's script shows only the chosen one.
            Div(
                *(consent_field_name(m) for m in Inquiry.ContactMethod.values),
                css_class="consent-choices",
            ),
            # Off-screen and hidden from assistive technology; see ``is_spam``.
            Div("website", css_class="hp-field", aria_hidden="true"),
            "source_page",
        )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Tell us your name so admissions know who to ask for."))
        return name

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if not phone:
            return ""
        digits = PHONE_DIGITS.sub("", phone)
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) != 10:
            raise forms.ValidationError(
                _("Enter a 10-digit U.S. phone number, like (214) 555-0123.")
            )
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"

    def clean_source_page(self):
        source = self.cleaned_data.get("source_page", "")
        # Only a path on this site is kept: nothing to follow or to inject.
        return source if source.startswith("/") and not source.startswith("//") else ""

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("contact_method")
        needs_phone = method in {Inquiry.ContactMethod.PHONE, Inquiry.ContactMethod.TEXT}
        if needs_phone and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error(
                "phone", _("Enter your phone number, or choose e-mail as the way to reach you.")
            )
        program, campus = cleaned.get("program"), cleaned.get("campus")
        if program and campus and not program.offerings.active().filter(campus=campus).exists():
            self.add_error(
                "campus",
                _(
                    "%(program)s is not taught at our %(campus)s campus. "
                    "Choose another campus or another program."
                )
                % {"program": program.title, "campus": campus.name},
            )
        if method in Inquiry.ContactMethod.values:
            field = consent_field_name(method)
            if not cleaned.get(field):
                self.add_error(
                    field,
                    _(
                        "Tick this box so admissions may contact you the way you chose; we use "
                        "your details only to answer this request."
                    ),
                )
            self.instance.consent = bool(cleaned.get(field))
            self.instance.consent_channel = method
        start = cleaned.get("preferred_cohort")
        if start:
            offering = start.offering
            if offering.program != program or offering.campus != campus:
                self.add_error(
                    "preferred_cohort",
                    _(
                        "Choose a start date of the program and campus you chose, or “Not sure yet”."
                    ),
                )
            elif cleaned.get("preferred_schedule") and (
                cleaned["preferred_schedule"] != offering.schedule
            ):
                self.add_error(
                    "preferred_schedule",
                    _("The start date you chose is for %(schedule)s classes.")
                    % {"schedule": offering.get_schedule_display().lower()},
                )
        return cleaned

    @property
    def is_spam(self):
        return bool(self.data.get("website"))
