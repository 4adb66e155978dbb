"""Public images in S3-compatible object storage (imported only when it is configured)."""

from storages.backends.s3 import S3Storage

from programs.media_names import cache_control


class PublicS3Storage(S3Storage):
    """Each object gets the Cache-Control that /media/ would send for its name: a year
    and ``immutable`` for content-named images, an hour for anything else."""

    def get_object_parameters(self, name):
        return {**super().get_object_parameters(name), "CacheControl": cache_control(name)}
