"""A student's path steps keep their template's texts in both languages, so a student
reads their steps in the language they chose."""

from modeltranslation.translator import TranslationOptions, register

from accounts.models import PathStep, StepAwaitingReview


@register(PathStep)
class PathStepTranslation(TranslationOptions):
    fields = ("title", "unit", "help_text")


# The review queue's proxy reads the same columns.
@register(StepAwaitingReview)
class StepAwaitingReviewTranslation(TranslationOptions):
    fields = ()
