# Profile photos move from public media to private storage, served by a checked view.

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import accounts.models


def move_photos_to_private_storage(apps, schema_editor):
    StudentProfile = apps.get_model("accounts", "StudentProfile")
    public, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    for name in StudentProfile.objects.exclude(photo="").values_list("photo", flat=True):
        source, target = public / name, private / name
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


def move_photos_back(apps, schema_editor):
    StudentProfile = apps.get_model("accounts", "StudentProfile")
    public, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    for name in StudentProfile.objects.exclude(photo="").values_list("photo", flat=True):
        source, target = private / name, public / name
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_step_awaiting_review_queue"),
    ]

    operations = [
        migrations.AlterField(
            model_name="studentprofile",
            name="photo",
            field=models.ImageField(
                blank=True, storage=accounts.models.private_storage, upload_to="profiles/"
            ),
        ),
        migrations.RunPython(move_photos_to_private_storage, move_photos_back),
    ]
