"""DJANGO_MEDIA_STORAGE and the S3 variables turn into STORAGES and the CSP (see README)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trainingcenter import media_storage

ROOT = Path(__file__).resolve().parents[2]
LOCAL = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "accounts.storage.PrivateStorage"},
}
S3 = {"DJANGO_MEDIA_STORAGE": "s3", "DJANGO_S3_BUCKET": "school-media"}


def test_local_folders_by_default():
    assert media_storage.configure(LOCAL, {}) == (LOCAL, [])
    assert media_storage.configure(LOCAL, {"DJANGO_MEDIA_STORAGE": "filesystem"}) == (LOCAL, [])


def test_s3_public_files_by_plain_url_private_files_signed_and_never_public():
    storages, origins = media_storage.configure(
        LOCAL,
        {
            **S3,
            "DJANGO_S3_PRIVATE_BUCKET": "school-private",
            "DJANGO_S3_ENDPOINT_URL": "https://objects.example.net:9000",
            "DJANGO_S3_REGION": "us-south",
        },
    )
    public, private = storages["default"]["OPTIONS"], storages["private"]["OPTIONS"]
    assert storages["default"]["BACKEND"] == "programs.storage_s3.PublicS3Storage"
    assert storages["private"]["BACKEND"] == "accounts.storage_s3.PrivateS3Storage"
    assert public["bucket_name"] == "school-media"
    assert public["default_acl"] == "public-read"
    assert public["querystring_auth"] is False
    assert private["bucket_name"] == "school-private"
    assert private["location"] == "private"
    assert private["default_acl"] == "private"
    assert private["querystring_auth"] is True
    assert private["custom_domain"] is None
    assert public["file_overwrite"] is private["file_overwrite"] is False
    assert public["addressing_style"] == "path"
    assert origins == ["https://objects.example.net:9000"]


def test_buckets_without_acls_get_no_acl_headers():
    storages, _ = media_storage.configure(LOCAL, {**S3, "DJANGO_S3_OBJECT_ACLS": "0"})
    assert storages["default"]["OPTIONS"]["default_acl"] is None
    assert storages["private"]["OPTIONS"]["default_acl"] is None


@pytest.mark.parametrize(
    ("env", "origins"),
    [
        ({}, ["https://school-media.s3.amazonaws.com"]),
        (
            {"DJANGO_S3_REGION": "us-east-2"},
            [
                "https://school-media.s3.amazonaws.com",
                "https://school-media.s3.us-east-2.amazonaws.com",
            ],
        ),
        ({"DJANGO_S3_CUSTOM_DOMAIN": "media.example.edu"}, ["https://media.example.edu"]),
    ],
)
def test_public_media_origins_for_the_csp(env, origins):
    assert media_storage.configure(LOCAL, {**S3, **env})[1] == origins


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_MEDIA_STORAGE": "s3"}, "needs DJANGO_S3_BUCKET"),
        ({"DJANGO_MEDIA_STORAGE": "ftp"}, "must be 'filesystem' or 's3'"),
    ],
)
def test_incomplete_configuration_stops_with_a_clear_message(env, message):
    with pytest.raises(SystemExit, match=message):
        media_storage.configure(LOCAL, env)


def test_settings_wire_object_storage_into_storages_and_the_csp():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(S3, DJANGO_S3_ENDPOINT_URL="http://127.0.0.1:9000", DJANGO_DEBUG="1")
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "from django.core.files.storage import storages; "
        "from accounts.models import Evidence; "
        "print(json.dumps([s.STORAGES['private']['BACKEND'], "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        "type(storages['default']).__name__, "
        "Evidence._meta.get_field('file').storage.__class__.__name__]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "trainingcenter.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    backend, img_src, public_class, private_class = json.loads(out.strip().splitlines()[-1])
    assert backend == "accounts.storage_s3.PrivateS3Storage"
    assert "http://127.0.0.1:9000" in img_src
    assert public_class == "PublicS3Storage"
    assert private_class == "PrivateS3Storage"
