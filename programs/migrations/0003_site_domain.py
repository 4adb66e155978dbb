"""Point the django.contrib.sites row at the school's real domain (sitemap, e-mail links)."""

from django.db import migrations

DOMAIN = "www.trinitycareer.example"
NAME = "Trinity Career Institute"


def set_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(id=1, defaults={"domain": DOMAIN, "name": NAME})


def reset_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.filter(id=1, domain=DOMAIN).update(domain="example.com", name="example.com")


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0002_refinements"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(set_site, reset_site)]
