"""Private files in S3-compatible object storage (imported only when it is configured)."""

from storages.backends.s3 import S3Storage

from accounts.storage import NO_URL


class PrivateS3Storage(S3Storage):
    """Objects written with a private ACL (or into a bucket with no public policy) and
    never linked: the portal's permission-checked views stream them."""

    def url(self, name, *args, **kwargs):
        raise ValueError(NO_URL)
