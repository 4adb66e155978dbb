"""schema.org structured data (JSON-LD) for the public pages, built from the models."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from programs.images import largest_jpeg_url
from programs.links import absolute_url

CONTEXT = "https://schema.org"


def _organization_id(origin):
    return f"{origin}/#organization"


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
    """The school, with one PostalAddress per campus."""
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
                "email": c.admissions_email,
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
    provider = {
        "@type": "EducationalOrganization",
        "@id": _organization_id(origin),
        "name": settings.SCHOOL_NAME,
        "url": origin + reverse("home"),
    }
    offerings = program.active_offerings
    low, high = program.tuition_range()
    data = {
        "@context": CONTEXT,
        "@type": "EducationalOccupationalProgram",
        "name": program.title,
        "description": program.summary,
        "url": origin + program.get_absolute_url(),
        "provider": provider,
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
        "location": [
            {
                "@type": "Place",
                "name": f"{row['campus'].name} campus",
                "address": postal_address(row["campus"]),
            }
            for row in program.campus_rows()
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
    credentials = [c.name for c in certifications]
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
