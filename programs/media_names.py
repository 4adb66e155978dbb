"""Names of public images that change with their content, and how long browsers keep them.

Every public image the site writes (a sanitized upload, each of its renditions) carries
the first 12 hex digits of the SHA-256 of its bytes before the extension, as collected
static files do: ``renditions/campuses/dallas-campus-720w.3f9c1a0b2d4e.webp``. New
content means a new name, so browsers and CDNs may keep such a file for a year without
asking again. Any other name under /media/ (files written before the names carried a
hash) may change in place when staff replace an image: those get a short lifetime.
"""

import hashlib
import re

HASH_LENGTH = 12
# Storage may add "_" and 7 random characters when the name is taken (same content
# uploaded twice): still the same bytes, so still safe to keep.
_CONTENT_NAMED = re.compile(
    rf"\.[0-9a-f]{{{HASH_LENGTH}}}(?:_[A-Za-z0-9]{{7}})?\.(?:jpg|jpeg|png|webp)$"
)

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=3600"


def content_hash(data):
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def content_name(stem, data, extension):
    """``stem.<hash>.ext`` for these bytes (``extension`` with its dot)."""
    return f"{stem}.{content_hash(data)}{extension}"


def is_content_named(name):
    return bool(_CONTENT_NAMED.search(name or ""))


def cache_control(name):
    """The Cache-Control header for a public media file of this name."""
    return IMMUTABLE if is_content_named(name) else SHORT
