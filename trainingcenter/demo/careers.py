"""Load the demo career content from ``data/careers.json``: certifying bodies,
certifications with their path templates, roles, workplace factors and guides.

Idempotent: rows are matched by slug (children by their parent and order, category or
anchor) and updated in place, so running it twice leaves the same rows. Facts without
their own date take the file's ``checked`` date; a certification's exam and renewal facts
take its main source unless the data names another.
"""

from careers.models import (
    CareerGuide,
    Certification,
    CertifyingBody,
    Role,
    WorkplaceFactor,
)
from trainingcenter.demo import parse_date, read_data


def checked_on(data_dir=None):
    """The day the demo's facts were last checked against their sources."""
    return parse_date(read_data("careers", data_dir)["checked"])


def _sync_children(manager, rows, key_fields):
    """update_or_create each row by key_fields; delete the children no longer listed."""
    keep = []
    for row in rows:
        lookup = {field: row[field] for field in key_fields}
        defaults = {k: v for k, v in row.items() if k not in key_fields}
        obj, _ = manager.update_or_create(**lookup, defaults=defaults)
        keep.append(obj.pk)
    manager.exclude(pk__in=keep).delete()


def _load_bodies(specs, checked):
    bodies = {}
    for spec in specs:
        spec = dict(spec)
        slug = spec.pop("slug")
        bodies[slug], _ = CertifyingBody.objects.update_or_create(
            slug=slug, defaults={"as_of": checked, **spec}
        )
    return bodies


def _load_certifications(specs, bodies, checked):
    certifications = {}
    for spec in specs:
        spec = dict(spec)
        routes = spec.pop("routes")
        steps = spec.pop("steps")
        ce = spec.pop("ce")
        body = bodies[spec.pop("body")]
        source_url = spec["source_url"]
        defaults = {
            "alternate_names": "",
            "needs_confirmation": False,
            "exam_needs_confirmation": False,
            "expiry_rule": Certification.ExpiryRule.FROM_ISSUE_DATE,
            "as_of": checked,
            "exam_source_url": source_url,
            "exam_as_of": checked,
            "renewal_source_url": source_url,
            "renewal_as_of": checked,
            "renewal_needs_confirmation": False,
            "published": True,
            **spec,
            "body": body,
        }
        slug = defaults.pop("slug")
        cert, _ = Certification.objects.update_or_create(slug=slug, defaults=defaults)
        certifications[slug] = cert
        _sync_children(
            cert.eligibility_routes,
            [
                {
                    "order": order,
                    "needs_confirmation": False,
                    "source_name": spec["source_name"],
                    "source_url": source_url,
                    "as_of": checked,
                    **route,
                }
                for order, route in enumerate(routes, start=1)
            ],
            ["order"],
        )
        _sync_children(
            cert.ce_requirements,
            [{"order": order, **row} for order, row in enumerate(ce, start=1)],
            ["category"],
        )
        _sync_children(
            cert.path_steps,
            [
                {
                    "order": order,
                    "target": None,
                    "unit": "",
                    "milestone": "",
                    "due_days": None,
                    "due_from": "start",
                    "shared_key": "",
                    **step,
                }
                for order, step in enumerate(steps, start=1)
            ],
            ["order"],
        )
    return certifications


def _load_roles(specs, certifications, duty_source_urls, checked):
    roles = {}
    for spec in specs:
        spec = dict(spec)
        duties = spec.pop("duties")
        labor = spec.pop("labor", [])
        cert_slugs = spec.pop("certifications")
        parent = spec.pop("parent", None)
        slug = spec.pop("slug")
        defaults = {
            "recommend_for": "",
            "as_of": checked,
            "published": True,
            **spec,
            "parent": roles.get(parent),
        }
        # The one-role-per-answer constraint: free the answer before taking it.
        if defaults["recommend_for"]:
            Role.objects.filter(recommend_for=defaults["recommend_for"]).exclude(slug=slug).update(
                recommend_for=""
            )
        role, _ = Role.objects.update_or_create(slug=slug, defaults=defaults)
        role.certifications.set([certifications[c] for c in cert_slugs])
        roles[slug] = role
        _sync_children(
            role.duties,
            [
                {
                    "order": order,
                    "source_url": duty_source_urls.get(duty["source"], ""),
                    **duty,
                }
                for order, duty in enumerate(duties, start=1)
            ],
            ["order"],
        )
        _sync_children(
            role.labor_figures,
            [
                {
                    "as_of": checked,
                    "needs_confirmation": False,
                    "annual_pay": None,
                    "growth_percent": None,
                    "openings_per_year": None,
                    "employment": None,
                    "projected_employment": None,
                    "note": "",
                    **figure,
                }
                for figure in labor
            ],
            ["order"],
        )
    return roles


def _load_guides(specs, roles):
    for spec in specs:
        spec = dict(spec)
        sections = spec.pop("sections")
        for name in ("published_on", "revised_on"):
            spec[name] = parse_date(spec[name])
        guide, _ = CareerGuide.objects.update_or_create(
            slug=spec.pop("slug"),
            defaults={**spec, "role": roles[spec["role"]], "published": True},
        )
        _sync_children(
            guide.sections,
            [{"order": order, **section} for order, section in enumerate(sections, start=1)],
            ["anchor"],
        )


def load(*, stdout, style, with_accounts, reset_passwords=False, data_dir=None, **kwargs):
    data = read_data("careers", data_dir)
    checked = parse_date(data["checked"])
    bodies = _load_bodies(data["bodies"], checked)
    certifications = _load_certifications(data["certifications"], bodies, checked)
    roles = _load_roles(data["roles"], certifications, data["duty_source_urls"], checked)
    for spec in data["factors"]:
        spec = dict(spec)
        WorkplaceFactor.objects.update_or_create(slug=spec.pop("slug"), defaults=spec)
    _load_guides(data["guides"], roles)

    guides = len(data["guides"])
    stdout.write(
        style.SUCCESS(
            f"Careers: {len(bodies)} certifying bodies, {len(certifications)} certifications, "
            f"{len(roles)} roles, {len(data['factors'])} workplace factors, "
            f"{guides} guide{'' if guides == 1 else 's'}."
        )
    )
