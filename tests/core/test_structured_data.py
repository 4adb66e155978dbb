"""Every page's JSON-LD on the demo content: valid JSON, schema.org types used with their
own properties, and the facts the issue asks for (dates, salaries, SOC codes, credentials,
addresses, public e-mails, language)."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from careers.models import CareerGuide, LaborFigure, Role
from programs.models import Campus, Program

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
HTML_LANG = re.compile(r'<html[^>]* lang="([^"]+)"')

# A small slice of schema.org: for each type the site uses, the properties it may carry
# (its own and its parents') and those this site must always give.
THING = {
    "name",
    "description",
    "url",
    "image",
    "alternateName",
    "sameAs",
    "identifier",
    "mainEntityOfPage",
}
CREATIVE_WORK = THING | {
    "headline",
    "author",
    "publisher",
    "datePublished",
    "dateModified",
    "inLanguage",
    "about",
    "isPartOf",
}
ORGANIZATION = THING | {"address", "contactPoint", "email", "telephone", "logo", "areaServed"}
CONTACT_POINT = THING | {"contactType", "telephone", "email", "areaServed"}
LIST = THING | {"itemListElement", "numberOfItems", "itemListOrder"}
SALARY_STATISTICS = {"median", "percentile10", "percentile25", "percentile75", "percentile90"}
SCHEMA = {
    "EducationalOrganization": (ORGANIZATION, {"name", "url"}),
    "Organization": (ORGANIZATION, {"name"}),
    "PostalAddress": (
        CONTACT_POINT
        | {"streetAddress", "addressLocality", "addressRegion", "postalCode", "addressCountry"},
        {"streetAddress", "addressLocality", "addressRegion", "postalCode", "addressCountry"},
    ),
    "ContactPoint": (CONTACT_POINT, {"contactType"}),
    "BreadcrumbList": (LIST, {"itemListElement"}),
    "ItemList": (LIST, {"itemListElement"}),
    "ListItem": (THING | {"position", "item"}, {"position"}),
    "WebPage": (CREATIVE_WORK | {"breadcrumb", "mainEntity"}, {"url", "name", "inLanguage"}),
    "WebSite": (CREATIVE_WORK, {"name", "url"}),
    "Article": (
        CREATIVE_WORK,
        {"headline", "author", "publisher", "datePublished", "dateModified", "inLanguage"},
    ),
    "EducationalOccupationalProgram": (
        THING
        | {
            "provider",
            "educationalCredentialAwarded",
            "occupationalCredentialAwarded",
            "occupationalCategory",
            "timeToComplete",
            "educationalProgramMode",
            "timeOfDay",
            "offers",
            "hasCourse",
            "programPrerequisites",
            "startDate",
            "endDate",
        },
        {"name", "url", "provider", "timeToComplete"},
    ),
    "Course": (
        CREATIVE_WORK | {"courseCode", "provider", "timeRequired", "occupationalCredentialAwarded"},
        {"name", "description", "provider"},
    ),
    "Offer": (THING | {"price", "priceCurrency", "category"}, {"price", "priceCurrency"}),
    "AggregateOffer": (
        THING | {"lowPrice", "highPrice", "priceCurrency", "category"},
        {"lowPrice", "priceCurrency"},
    ),
    "EducationalOccupationalCredential": (
        CREATIVE_WORK | {"credentialCategory", "recognizedBy", "validFor", "competencyRequired"},
        {"name", "credentialCategory", "recognizedBy"},
    ),
    "Occupation": (
        THING
        | {
            "estimatedSalary",
            "occupationalCategory",
            "occupationLocation",
            "qualifications",
            "responsibilities",
        },
        {"name", "occupationLocation", "occupationalCategory"},
    ),
    "Country": (THING, {"name"}),
    "State": (THING, {"name"}),
    "CategoryCode": (THING | {"codeValue", "inCodeSet"}, {"codeValue", "inCodeSet"}),
    "CategoryCodeSet": (THING, {"name"}),
    "MonetaryAmountDistribution": (
        THING | {"currency", "duration"} | SALARY_STATISTICS,
        {"currency", "duration"},
    ),
    "MonetaryAmount": (THING | {"currency", "value"}, {"currency", "value"}),
}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def problems_in(node, where="$"):
    """Every schema misuse in a JSON-LD node and its children, as readable lines."""
    found = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            found += problems_in(item, f"{where}[{i}]")
        return found
    if not isinstance(node, dict):
        return found
    kind = node.get("@type")
    if kind is None:
        if set(node) != {"@id"}:  # a bare reference to a node given elsewhere
            found.append(f"{where}: no @type")
        return found
    if kind not in SCHEMA:
        return [f"{where}: unknown type {kind}"]
    allowed, required = SCHEMA[kind]
    for name, value in node.items():
        if name.startswith("@"):
            continue
        if name not in allowed:
            found.append(f"{where}: {kind} has no property {name}")
        if value in ("", None, [], {}):
            found.append(f"{where}.{name}: empty")
        found += problems_in(value, f"{where}.{name}")
    found += [f"{where}: {kind} lacks {name}" for name in sorted(required - set(node))]
    if kind == "MonetaryAmountDistribution" and not SALARY_STATISTICS & set(node):
        found.append(f"{where}: a distribution without a statistic")
    for name in ("datePublished", "dateModified", "startDate"):
        if name in node and not DATE.match(node[name]):
            found.append(f"{where}.{name}: not an ISO date")
    for name in ("url", "item", "logo"):
        if isinstance(node.get(name), str) and not node[name].startswith(("http://", "https://")):
            found.append(f"{where}.{name}: not an absolute URL")
    return found


def blocks(response):
    """Each JSON-LD block of a page, parsed (json.loads fails on invalid JSON)."""
    return [json.loads(text) for text in SCRIPT.findall(response.content.decode())]


def of_type(response, kind):
    return [b for b in blocks(response) if b["@type"] == kind]


def public_paths(client):
    xml = client.get(reverse("sitemap")).content.decode()
    paths = [urlsplit(url).path for url in re.findall(r"<loc>(.*?)</loc>", xml)]
    answered = "?work=patients&needles=yes&schedule=either&campus=either"
    return [*dict.fromkeys(paths), reverse("careers:find_your_path") + answered]


def test_every_public_page_has_valid_schema_org_json_ld(client, demo):
    problems = []
    paths = public_paths(client)
    assert len(paths) > 20
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        data = blocks(response)
        lang = HTML_LANG.search(response.content.decode())[1]
        for block in data:
            assert block["@context"] == "https://schema.org", path
            problems += [f"{path} {line}" for line in problems_in(block)]
            if "inLanguage" in block:
                assert block["inLanguage"] == lang, path
    assert problems == []


def test_the_guide_is_an_article_by_the_school_with_editorial_dates(client, demo):
    guide = CareerGuide.objects.get(slug="what-does-a-medical-assistant-do")
    guide.save()  # today's save must not move the dates search engines see
    response = client.get(guide.get_absolute_url())
    [article] = of_type(response, "Article")
    assert article["datePublished"] == "2026-09-14"
    assert article["dateModified"] == "2026-12-02"
    assert article["author"]["@type"] == "EducationalOrganization"
    assert article["author"]["name"] == "Trinity Career Institute"
    assert article["inLanguage"] == "en"
    role = client.get(reverse("careers:role_detail", args=["medical-assistant"]))
    assert article["about"] == {"@id": of_type(role, "Occupation")[0]["@id"]}
    page = response.content.decode()
    assert '<time datetime="2026-09-14">September 14, 2026</time>' in page
    assert '<time datetime="2026-12-02">December 2, 2026</time>' in page


def test_every_role_is_an_occupation_with_its_soc_code_and_its_pay_figures(client, demo):
    for role in Role.objects.published().select_related("parent"):
        [occupation] = of_type(client.get(role.get_absolute_url()), "Occupation")
        assert occupation["occupationalCategory"]["codeValue"] == role.soc_code, role.slug
        figures = LaborFigure.objects.filter(role=role, annual_pay__isnull=False)
        if not figures and role.parent:
            figures = LaborFigure.objects.filter(role=role.parent, annual_pay__isnull=False)
        amounts = {
            salary.get("median", salary.get("value"))
            for salary in occupation.get("estimatedSalary", [])
        }
        assert amounts == {int(f.annual_pay) for f in figures}, role.slug
    medical_assistant = client.get(reverse("careers:role_detail", args=["medical-assistant"]))
    [occupation] = of_type(medical_assistant, "Occupation")
    # The BLS figure is a median; every salary is in dollars a year.
    assert {"@type": "MonetaryAmountDistribution"}.items() <= next(
        s for s in occupation["estimatedSalary"] if s.get("median") == 44200
    ).items()
    assert all(s["currency"] == "USD" for s in occupation["estimatedSalary"])


def test_every_program_names_its_occupations_credentials_and_campuses(client, demo):
    programs = Program.objects.published().prefetch_related("roles", "certifications")
    for program in programs:
        response = client.get(program.get_absolute_url())
        [data] = of_type(response, "EducationalOccupationalProgram")
        socs = {r.soc_code for r in program.roles.all() if r.published and r.soc_code}
        assert set(data.get("occupationalCategory", [])) == socs, program.slug
        prepares_for = {c.acronym for c in program.certifications.all() if c.published}
        awarded = data.get("occupationalCredentialAwarded", [])
        assert {c["name"].rsplit("(", 1)[1].rstrip(")") for c in awarded} == prepares_for
        assert all(c["recognizedBy"]["@type"] == "Organization" for c in awarded)
        campuses = set(
            Campus.objects.filter(
                offerings__program=program, offerings__active=True, published=True
            ).values_list("city", flat=True)
        )
        localities = {a["addressLocality"] for a in data["provider"]["address"]}
        assert localities == campuses, program.slug
    ma = client.get(
        reverse("programs:detail", args=["medical-assisting-nutrition-weight-management"])
    )
    [data] = of_type(ma, "EducationalOccupationalProgram")
    assert data["occupationalCategory"] == ["31-9092"]


def test_the_organization_gives_the_public_e_mails_shown_on_the_page(client, demo):
    response = client.get("/")
    [organization] = of_type(response, "EducationalOrganization")
    emails = {point["email"] for point in organization["contactPoint"]}
    shown = set(re.findall(r'href="mailto:([^"]+)"', response.content.decode()))
    assert emails
    assert emails <= shown
    staff_inboxes = set(Campus.objects.values_list("admissions_email", flat=True)) - shown
    assert staff_inboxes
    assert not any(inbox in response.content.decode() for inbox in staff_inboxes)


def test_the_checker_catches_misused_types_and_properties():
    assert problems_in({"@type": "EducationalOccupationalProgram", "location": []}) == [
        "$: EducationalOccupationalProgram has no property location",
        "$.location: empty",
        "$: EducationalOccupationalProgram lacks name",
        "$: EducationalOccupationalProgram lacks provider",
        "$: EducationalOccupationalProgram lacks timeToComplete",
        "$: EducationalOccupationalProgram lacks url",
    ]
    median_less = {"@type": "MonetaryAmountDistribution", "currency": "USD", "duration": "P1Y"}
    assert problems_in(median_less) == ["$: a distribution without a statistic"]
    assert problems_in({"@type": "MonetaryAmountDistribution", "mean": 1}) != []
    assert problems_in({"@type": "Article", "headline": "x"})[:1] == ["$: Article lacks author"]
    assert problems_in({"@type": "Thingy"}) == ["$: unknown type Thingy"]
