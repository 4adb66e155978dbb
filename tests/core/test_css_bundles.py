"""The stylesheets: one bundle per kind of page, built from Bootstrap's Sass and the
site's CSS (trainingcenter/css_bundles.py), with only the Bootstrap parts in use."""

import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.services import applications as apps
from tests.accounts.apply_world import make_start
from trainingcenter import css_bundles

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


def stylesheets(response):
    assert response.status_code == HTTPStatus.OK, response.status_code
    return STYLESHEET.findall(response.content.decode())


def bundle_text(name):
    return (Path(settings.CSS_BUNDLE_ROOT) / css_bundles.bundle_path(name)).read_text()


@pytest.mark.django_db
def test_public_pages_link_only_the_public_bundle(client, demo):
    pages = [
        reverse("home"),
        reverse("programs:list"),
        reverse("programs:detail", args=["medical-administrative-assistant"]),
        reverse("programs:campus_detail", args=["dallas"]),
        reverse("careers:index"),
        reverse("careers:certification_detail", args=["cma"]),
        reverse("careers:role_detail", args=["medical-assistant"]),
        reverse("careers:guide_detail", args=["what-does-a-medical-assistant-do"]),
        "/es/",
    ]
    for url in pages:
        assert stylesheets(client.get(url)) == ["/static/bundles/public.css"], url


def test_the_portal_dashboard_links_the_portal_bundle(student_client):
    assert stylesheets(student_client.get(reverse("portal:dashboard"))) == [
        "/static/bundles/portal.css"
    ]


def test_an_apply_step_links_the_apply_bundle(client, make_user):
    applicant = make_user("ana@example.com", first_name="Ana", last_name="Lopez")
    application = apps.application_start(applicant=applicant, cohort=make_start())
    client.force_login(applicant)
    response = client.get(reverse("apply:step", args=[application.pk, "about"]))
    assert stylesheets(response) == ["/static/bundles/apply.css"]


def test_the_login_page_links_the_base_bundle(client, db):
    assert stylesheets(client.get(reverse("account_login"))) == ["/static/bundles/base.css"]


def test_the_500_page_links_the_base_bundle(rf):
    from trainingcenter.errors import server_error

    response = server_error(rf.get("/"))
    assert STYLESHEET.findall(response.content.decode()) == ["/static/bundles/base.css"]


def test_the_portal_css_is_only_in_the_portal_and_apply_bundles():
    portal_only = ".portal-nav"  # the portal's tabs, defined in assets/css/portal.css
    assert portal_only in bundle_text("portal")
    assert portal_only in bundle_text("apply")
    assert portal_only not in bundle_text("public")
    assert portal_only not in bundle_text("base")
    assert ".apply-card" not in bundle_text("public")


def test_bundles_are_minified_and_hold_only_the_bootstrap_parts_in_use():
    public = bundle_text("public")
    assert public.count("\n") < 10  # minified: a few lines, no indentation
    assert "\n    " not in public
    for unused in (".carousel", ".accordion", ".toast", ".modal", ".w-100"):
        assert unused not in public, unused
    for used in (".navbar-expand-xl", ".collapse:not(.show)", ".btn-close", ".form-control"):
        assert used in public, used
    assert ".site-header" in public  # the site's own CSS follows Bootstrap
    assert len(public.encode()) < 200_000


def bootstrap_classes_used_by_templates():
    """Class names the templates, the site's JS and crispy-forms' Bootstrap 5 templates
    write that the full Bootstrap 5.3.8 defines."""
    import crispy_bootstrap5
    import sass

    full = sass.compile(
        filename=str(css_bundles.BOOTSTRAP_SCSS / "bootstrap.scss"), output_style="compressed"
    )
    defined = set(re.findall(r"\.([a-z][a-z0-9-]*)", full))
    base = Path(settings.BASE_DIR)
    sources = [p for p in (base / "templates").rglob("*.html") if "admin" not in p.parts]
    sources += list((base / "trainingcenter" / "static" / "js").glob("*.js"))
    crispy = Path(crispy_bootstrap5.__file__).parent / "templates" / "bootstrap5"
    # Crispy's field, error and form templates; not its accordion layout (unused here).
    sources += [p for p in crispy.glob("*.html") if not p.name.startswith("accordion")]
    used = set()
    for path in sources:
        for attribute in re.findall(r'class="([^"]*)"', path.read_text(encoding="utf-8")):
            used.update(re.findall(r"(?<![\w{%-])([a-z][a-z0-9-]*)(?![\w-])", attribute))
    return used & defined


def test_every_bootstrap_class_the_templates_use_is_in_the_bundles():
    css = bundle_text("apply") + bundle_text("public")
    missing = sorted(
        name
        for name in bootstrap_classes_used_by_templates()
        if not re.search(rf"\.{re.escape(name)}(?![\w-])", css)
    )
    assert missing == []


def test_the_build_is_idempotent(tmp_path):
    assert sorted(css_bundles.build_bundles(tmp_path)) == sorted(css_bundles.BUNDLES)
    first = {p.name: p.read_bytes() for p in (tmp_path / "bundles").iterdir()}
    assert css_bundles.build_bundles(tmp_path) == []
    assert {p.name: p.read_bytes() for p in (tmp_path / "bundles").iterdir()} == first
    assert first["public.css"].decode() == bundle_text("public")
