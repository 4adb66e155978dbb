"""Where uploads live: folders on this machine, or S3-compatible object storage.

One app node can keep uploads in local folders (MEDIA_ROOT, PRIVATE_MEDIA_ROOT). Several
nodes need one store that all of them see: with ``DJANGO_MEDIA_STORAGE=s3`` public uploads
(program and campus images and their renditions) go to a bucket that visitors read by
plain URL, and private files (student evidence, CE proofs, profile photos) go to a bucket or
prefix that nobody can read without credentials: the permission-checked download views
stream them. Access keys come from the standard ``AWS_ACCESS_KEY_ID`` and
``AWS_SECRET_ACCESS_KEY`` variables (or an instance role), never from settings.

``configure`` is a pure function of the environment so the settings and the tests build
the very same configuration.
"""

from urllib.parse import urlsplit

# Sets each object's Cache-Control from its name (programs.media_names).
S3_BACKEND = "programs.storage_s3.PublicS3Storage"
PRIVATE_S3_BACKEND = "accounts.storage_s3.PrivateS3Storage"
# Signed URLs are never handed out, but if one were, it would not outlive a page view.
PRIVATE_URL_SECONDS = 300
# Files larger than this are spooled to a temporary file while they stream.
SPOOL_BYTES = 2_621_440


def _get(environ, name):
    return (environ.get(name) or "").strip()


def _flag(environ, name, default):
    value = _get(environ, name).lower()
    return default if not value else value in {"1", "true", "yes", "on"}


def configure(storages, environ):
    """Return (STORAGES, origins of public media for the CSP) for this environment.

    ``storages`` holds the local defaults; raises SystemExit with a clear message when
    the S3 configuration is incomplete, like the settings do for a missing secret key.
    """
    kind = _get(environ, "DJANGO_MEDIA_STORAGE").lower() or "filesystem"
    if kind == "filesystem":
        return storages, []
    if kind != "s3":
        raise SystemExit(f"DJANGO_MEDIA_STORAGE must be 'filesystem' or 's3', not {kind!r}.")
    bucket = _get(environ, "DJANGO_S3_BUCKET")
    if not bucket:
        raise SystemExit("DJANGO_MEDIA_STORAGE=s3 needs DJANGO_S3_BUCKET (the public bucket).")
    endpoint = _get(environ, "DJANGO_S3_ENDPOINT_URL") or None
    region = _get(environ, "DJANGO_S3_REGION") or None
    custom_domain = _get(environ, "DJANGO_S3_CUSTOM_DOMAIN") or None
    # Buckets with ACLs disabled (AWS's default for new buckets) refuse ACL headers:
    # set DJANGO_S3_OBJECT_ACLS=0 there, give the public bucket a public-read policy
    # and keep private files in their own bucket (DJANGO_S3_PRIVATE_BUCKET).
    acls = _flag(environ, "DJANGO_S3_OBJECT_ACLS", True)
    common = {
        "endpoint_url": endpoint,
        "region_name": region,
        # Other S3-compatible servers (MinIO, Ceph...) are addressed by path, not subdomain.
        "addressing_style": "path" if endpoint else None,
        "file_overwrite": False,
    }
    public = {
        **common,
        "bucket_name": bucket,
        "default_acl": "public-read" if acls else None,
        "querystring_auth": False,
        "custom_domain": custom_domain,
    }
    private = {
        **common,
        "bucket_name": _get(environ, "DJANGO_S3_PRIVATE_BUCKET") or bucket,
        "location": (_get(environ, "DJANGO_S3_PRIVATE_PREFIX") or "private").strip("/"),
        "default_acl": "private" if acls else None,
        "querystring_auth": True,
        "querystring_expire": PRIVATE_URL_SECONDS,
        "custom_domain": None,
        "max_memory_size": SPOOL_BYTES,
        "object_parameters": {"CacheControl": "private, no-store"},
    }
    storages = {
        **storages,
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": public},
        "private": {"BACKEND": PRIVATE_S3_BACKEND, "OPTIONS": private},
    }
    return storages, _public_origins(
        bucket=bucket, endpoint=endpoint, region=region, custom_domain=custom_domain
    )


def _public_origins(*, bucket, endpoint, region, custom_domain):
    if custom_domain:
        return [f"https://{custom_domain.split('/')[0]}"]
    if endpoint:
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}"]
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins
