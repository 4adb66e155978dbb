"""Career content in English and Spanish: one column per language for what visitors read.

Credential names, acronyms, certifying bodies' names, codes and source names stay as the
bodies write them (in English), so they are not registered.
"""

from modeltranslation.translator import TranslationOptions, register

from careers.models import (
    CareerGuide,
    CERequirement,
    Certification,
    Duty,
    EligibilityRoute,
    GuideSection,
    LaborFigure,
    PathStepTemplate,
    Role,
    WorkplaceFactor,
)


@register(Certification)
class CertificationTranslation(TranslationOptions):
    fields = ("summary", "eligibility_summary", "exam_questions", "exam_format", "renewal_summary")


@register(EligibilityRoute)
class EligibilityRouteTranslation(TranslationOptions):
    fields = ("name", "description")


@register(CERequirement)
class CERequirementTranslation(TranslationOptions):
    fields = ("label",)


@register(PathStepTemplate)
class PathStepTemplateTranslation(TranslationOptions):
    fields = ("title", "unit", "help_text")


@register(Role)
class RoleTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "typical_workplaces")


@register(Duty)
class DutyTranslation(TranslationOptions):
    fields = ("text",)


@register(LaborFigure)
class LaborFigureTranslation(TranslationOptions):
    fields = ("pay_label", "data_year", "note")


@register(WorkplaceFactor)
class WorkplaceFactorTranslation(TranslationOptions):
    fields = ("name", "summary", "one_side_label", "one_side", "other_side_label", "other_side")


@register(CareerGuide)
class CareerGuideTranslation(TranslationOptions):
    fields = ("title", "meta_description", "intro")


@register(GuideSection)
class GuideSectionTranslation(TranslationOptions):
    fields = ("heading", "body")
