"""Programs content in English and Spanish: one column per language for what visitors read.

Names of campuses, addresses, course codes and exam names stay as they are, so they are
not registered.
"""

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from programs.models import Campus, Course, Disclosure, Offering, Outcome, Program


@register(Campus)
class CampusTranslation(TranslationOptions):
    fields = ("hours", "parking", "transit", "photo_alt", "summary")


@register(Program)
class ProgramTranslation(TranslationOptions):
    fields = (
        "title",
        "summary",
        "description",
        "credential_awarded",
        "tuition_includes",
        "financial_aid",
        "admission_requirements",
        "accreditation",
        "hero_alt",
    )


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("source", "note")


@register(Offering)
class OfferingTranslation(TranslationOptions):
    fields = ("class_days", "class_times")


@register(Disclosure)
class DisclosureTranslation(TranslationOptions):
    fields = ("title", "body", "footer_text")


def localized(path):
    """A translated field's columns in every language (``offering__program__title_en``,
    ``..._es``), for ``only()`` on a model whose manager does not rewrite them."""
    return [f"{path}_{code}" for code, _name in settings.LANGUAGES]
