from django import forms
from django.utils.translation import gettext_lazy as _

from careers.models import WorkPreference
from careers.pathfinder import NeedleComfort

SCHEDULE_CHOICES = [
    ("day", _("Day classes")),
    ("evening", _("Evening classes")),
    ("either", _("Either works for me")),
]
EITHER = "either"


def _choice_field(label, choices, required_message, invalid_message, **kwargs):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": invalid_message},
        **kwargs,
    )


class PathFinderForm(forms.Form):
    """The "find your path" questionnaire; submitted by GET so it works without JavaScript."""

    work = _choice_field(
        _("What kind of work appeals to you most?"),
        WorkPreference.choices,
        _("Tell us which kind of work appeals to you."),
        _("Choose one of the kinds of work listed."),
    )
    needles = _choice_field(
        _("How do you feel about needles (injections, drawing blood)?"),
        NeedleComfort.choices,
        _("Tell us how you feel about needles."),
        _("Choose one of the answers about needles."),
        help_text=_("Clinical medical assistants give injections and prepare blood samples."),
    )
    schedule = _choice_field(
        _("When can you attend class?"),
        SCHEDULE_CHOICES,
        _("Choose when you can attend class."),
        _("Choose day classes, evening classes or either."),
    )
    campus = _choice_field(
        _("Which campus is closer to you?"),
        [],
        _("Choose a campus, or either campus."),
        _("Choose one of our campuses, or either campus."),
    )

    def __init__(self, *args, campuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.campuses = {campus.slug: campus for campus in campuses}
        self.fields["campus"].choices = [
            *((campus.slug, campus.name) for campus in campuses),
            (EITHER, _("Either campus")),
        ]

    def clean_campus(self):
        slug = self.cleaned_data["campus"]
        return None if slug == EITHER else self.campuses[slug]

    def clean_schedule(self):
        schedule = self.cleaned_data["schedule"]
        return None if schedule == EITHER else schedule
