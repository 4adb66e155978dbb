"""Storage for private files (evidence, CE proofs): a local folder or a private S3 bucket.

Either way a private file has no URL: the portal's permission-checked views stream it.
The storage is looked up in ``settings.STORAGES["private"]`` lazily, so a deployment (or a
test) chooses it through settings without touching the models or their migrations.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

PRIVATE_ALIAS = "private"
NO_URL = "Private files have no URL: use the permission-checked download view."


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT with no public URL.

    The location follows settings.PRIVATE_MEDIA_ROOT at call time, so tests and
    deployments can move it without re-importing the models. Files and the folders made
    for them are readable by the app's own account only, whatever the umask."""

    FILE_MODE = 0o600
    DIRECTORY_MODE = 0o700

    def __init__(self):
        super().__init__(
            base_url=None,
            file_permissions_mode=self.FILE_MODE,
            directory_permissions_mode=self.DIRECTORY_MODE,
        )

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(NO_URL)


class PrivateStorageProxy(LazyObject):
    """``storages["private"]``, resolved lazily and again whenever STORAGES changes."""

    def _setup(self):
        self._wrapped = storages[PRIVATE_ALIAS]


private = PrivateStorageProxy()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting in {"STORAGES", "PRIVATE_MEDIA_ROOT"}:
        private._wrapped = empty
