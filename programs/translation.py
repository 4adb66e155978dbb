"""Programs content in English and Spanish: one column per language for what visitors read.

Names of campuses, addresses, course codes and exam names stay as they are, so they are
not registered.
"""

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
