"""schema.org structured data (JSON-LD) for the public pages, built from the models."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from programs.images import largest_jpeg_url
from programs.links import absolute_url

CONTEXT = "https://schema.org"


def _organization_id(origin):
    return f"{origin}/#organization"


def page_language():
    """The language the page is written in (``inLanguage``): the active one."""
    return translation.get_language() or settings.LANGUAGE_CODE


def school(origin, **extra):
    """The school as a reference to the Organization block (author, provider, publisher)."""
    return {
        "@type": "EducationalOrganization",
        "@id": _organization_id(origin),
        "name": settings.SCHOOL_NAME,
        "url": origin + reverse("home"),
        **extra,
    }


def web_page(*, name, url, origin):
    """The page itself: its name, address and language, part of the school's web site."""
    return {
        "@context": CONTEXT,
        "@type": "WebPage",
        "@id": absolute_url(origin, url),
        "url": absolute_url(origin, url),
        "name": name,
        "inLanguage": page_language(),
        "isPartOf": {
            "@type": "WebSite",
            "@id": f"{origin}/#website",
            "name": settings.SCHOOL_NAME,
            "url": origin + reverse("home"),
        },
        "publisher": {"@id": _organization_id(origin)},
    }


def postal_address(campus):
    return {
        "@type": "PostalAddress",
        "name": f"{campus.name} campus",
        "streetAddress": campus.street,
        "addressLocality": campus.city,
        "addressRegion": campus.state,
        "postalCode": campus.postal_code,
        "addressCountry": "US",
    }


def organization(*, campuses, origin):
    """The school, with one PostalAddress per campus.

    The contact e-mails are the campuses' public addresses, the ones every page's footer
    shows; the admissions inboxes that receive the request forms stay internal.
    """
    data = {
        "@context": CONTEXT,
        "@type": "EducationalOrganization",
        "@id": _organization_id(origin),
        "name": settings.SCHOOL_NAME,
        "url": origin + reverse("home"),
        "logo": origin + static("img/logo-mark.svg"),
        "address": [postal_address(c) for c in campuses],
        "contactPoint": [
            {
                "@type": "ContactPoint",
                "contactType": f"admissions, {c.name} campus",
                "telephone": c.phone_link,
                **({"email": c.email} if c.email else {}),
                "areaServed": "US-TX",
            }
            for c in campuses
        ],
    }
    return data


def breadcrumbs(*, items, origin):
    """items: (name, url) pairs from the home page down to the current page."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute_url(origin, url),
            }
            for position, (name, url) in enumerate(items, start=1)
        ],
    }


def program_list(*, programs, origin):
    return {
        "@context": CONTEXT,
        "@type": "ItemList",
        "name": f"Programs at {settings.SCHOOL_NAME}",
        "numberOfItems": len(programs),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "url": origin + program.get_absolute_url(),
                "name": program.title,
            }
            for position, program in enumerate(programs, start=1)
        ],
    }


def program(*, program, certifications, roles, origin):
    """EducationalOccupationalProgram with its curriculum as Course items.

    Needs the detail view's prefetches (courses, active offerings) and the published
    certifications and roles it shows.
    """
    provider = school(origin)
    campus_rows = program.campus_rows()
    offerings = program.active_offerings
    low, high = program.tuition_range()
    data = {
        "@context": CONTEXT,
        "@type": "EducationalOccupationalProgram",
        "name": program.title,
        "description": program.summary,
        "url": origin + program.get_absolute_url(),
        # The campuses that offer it: where a student of this program goes.
        "provider": {**provider, "address": [postal_address(r["campus"]) for r in campus_rows]},
        "educationalCredentialAwarded": program.credential_awarded,
        "timeToComplete": f"P{program.length_weeks}W",
        "educationalProgramMode": "in-person",
        "timeOfDay": sorted({o.get_schedule_display() for o in offerings}),
        "offers": {
            "@type": "Offer",
            "category": "Tuition",
            "price": str(low),
            "priceCurrency": "USD",
        },
        "hasCourse": [
            {
                "@type": "Course",
                "name": course.title,
                "description": course.description or f"{course.hours} clock hours.",
                "timeRequired": f"PT{course.hours}H",
                **({"courseCode": course.code} if course.code else {}),
                "provider": provider,
            }
            for course in program.courses.all()
        ],
    }
    if low != high:
        data["offers"] = {
            "@type": "AggregateOffer",
            "category": "Tuition",
            "lowPrice": str(low),
            "highPrice": str(high),
            "priceCurrency": "USD",
        }
    if program.admission_requirements_list:
        data["programPrerequisites"] = program.admission_requirements_list
    # The certifications it prepares for: earned from their bodies, not from the school.
    credentials = [credential(certification=c, origin=origin) for c in certifications]
    if credentials:
        data["occupationalCredentialAwarded"] = credentials
    categories = [r.soc_code for r in roles if r.soc_code]
    if categories:
        data["occupationalCategory"] = sorted(set(categories))
    next_cohort = program.next_cohort
    if next_cohort:
        data["startDate"] = next_cohort.start_date.isoformat()
    image = largest_jpeg_url(program.hero_renditions)
    if image:
        data["image"] = absolute_url(origin, image)
    return data


def credential(*, certification, origin):
    """A certification as an EducationalOccupationalCredential, recognised by its body.

    Needs ``certification.body`` (select_related).
    """
    body = certification.body
    recognized_by = {"@type": "Organization", "name": body.name, "alternateName": body.acronym}
    if body.website:
        recognized_by["url"] = body.website
    return {
        "@type": "EducationalOccupationalCredential",
        "name": f"{certification.name} ({certification.acronym})",
        "credentialCategory": "certification",
        "url": origin + certification.get_absolute_url(),
        "recognizedBy": recognized_by,
    }
