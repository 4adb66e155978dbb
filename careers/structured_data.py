"""schema.org JSON-LD for careers pages, built as plain dicts (rendered by |json_ld)."""

from django.urls import reverse

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


def occupation(request, role, figures, certifications, duties):
    data = {
        "@context": "https://schema.org",
        "@type": "Occupation",
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


def article(request, guide, school_name):
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": guide.title,
        "description": guide.meta_description,
        "url": absolute_url(request_origin(request), guide.get_absolute_url()),
        "dateModified": guide.updated_at.date().isoformat(),
        "publisher": {
            "@type": "EducationalOrganization",
            "name": school_name,
            "url": absolute_url(request_origin(request), reverse("home")),
        },
    }
