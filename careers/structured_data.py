"""schema.org JSON-LD for careers pages, built as plain dicts (rendered by |json_ld)."""

from django.templatetags.static import static

from programs import seo
from programs.links import absolute_url, request_origin


def _organization(body):
    data = {"@type": "Organization", "name": body.name, "alternateName": body.acronym}
    if body.website:
        data["url"] = body.website
    return data


def certification_credential(request, certification):
    data = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "name": f"{certification.name} ({certification.acronym})",
        "alternateName": [certification.acronym]
        + [name.strip() for name in certification.alternate_names.split(",") if name.strip()],
        "description": certification.summary,
        "url": absolute_url(request_origin(request), certification.get_absolute_url()),
        "credentialCategory": "certification",
        "recognizedBy": _organization(certification.body),
    }
    if certification.renewal_months:
        data["validFor"] = f"P{certification.renewal_months}M"
    if certification.eligibility_summary:
        data["competencyRequired"] = certification.eligibility_summary
    return data


def _occupation_id(origin, role):
    return absolute_url(origin, role.get_absolute_url()) + "#occupation"


def occupation(request, role, figures, certifications, duties):
    data = {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "@id": _occupation_id(request_origin(request), role),
        "name": role.title,
        "description": role.summary,
        "url": absolute_url(request_origin(request), role.get_absolute_url()),
        "occupationLocation": [{"@type": "Country", "name": "United States"}],
    }
    if role.soc_code:
        data["occupationalCategory"] = {
            "@type": "CategoryCode",
            "codeValue": role.soc_code,
            "inCodeSet": {
                "@type": "CategoryCodeSet",
                "name": "Standard Occupational Classification (SOC)",
                "url": "https://www.bls.gov/soc/",
            },
        }
    if duties:
        data["responsibilities"] = [duty.text for duty in duties]
    if certifications:
        data["qualifications"] = [
            f"{cert.name} ({cert.acronym}, {cert.body.acronym})" for cert in certifications
        ]
    salaries = []
    for figure in figures:
        if figure.annual_pay is None:
            continue
        name = (
            f"{figure.pay_label}, {figure.get_region_display()} "
            f"({figure.source_name or 'source'}, {figure.data_year})"
        )
        if figure.pay_statistic == figure.PayStatistic.MEAN:
            # schema.org distributions have no mean: an average is a plain amount.
            salaries.append(
                {
                    "@type": "MonetaryAmount",
                    "name": name,
                    "currency": "USD",
                    "value": int(figure.annual_pay),
                }
            )
        else:
            salaries.append(
                {
                    "@type": "MonetaryAmountDistribution",
                    "name": name,
                    "currency": "USD",
                    "duration": "P1Y",
                    "median": int(figure.annual_pay),
                }
            )
        texas = {"@type": "State", "name": "Texas"}
        if figure.region == figure.Region.TEXAS and texas not in data["occupationLocation"]:
            data["occupationLocation"].append(texas)
    if salaries:
        data["estimatedSalary"] = salaries
    return data


def article(request, guide):
    """The career guide: written by the school, with its editorial dates and language."""
    origin = request_origin(request)
    url = absolute_url(origin, guide.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": guide.title,
        "description": guide.meta_description,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": seo.page_language(),
        "author": seo.school(origin),
        "publisher": seo.school(origin, logo=absolute_url(origin, static("img/logo-mark.svg"))),
    }
    if guide.published_on:
        data["datePublished"] = guide.published_on.isoformat()
    if guide.modified_on:
        data["dateModified"] = guide.modified_on.isoformat()
    if guide.role_id and guide.role.published:
        # The role page's Occupation, by reference.
        data["about"] = {"@id": _occupation_id(origin, guide.role)}
    return data
