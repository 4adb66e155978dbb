"""Brotli and gzip for the anonymous cached pages, and only for them.

A compressed response whose body mixes a secret (a CSRF token, a session's personal data)
with text an attacker can influence leaks the secret through its size (BREACH). The page
cache stores only anonymous 200s that set no cookie, so they carry no secret: each is
compressed once, when it is stored, and every hit sends the variant the browser accepts.
Every other response (portal, apply, admin, forms) leaves the site uncompressed.
"""

import functools
import gzip

import brotli

IDENTITY = "identity"
# Preferred first when a browser accepts both equally.
ENCODINGS = ("br", "gzip")
# Smaller bodies gain nothing worth a header and a decompression.
MIN_SIZE = 200
COMPRESSIBLE_TYPES = (
    "text/",
    "application/xml",
    "application/json",
    "application/javascript",
    "application/rss+xml",
    "application/atom+xml",
    "image/svg+xml",
)
# Brotli 5 and gzip 6: about 1 ms each for a 40 KB page (a miss pays it once); Brotli 11
# saves a further 10-13 % for 60-125 ms per page, too much on the request that stores it.
BROTLI_QUALITY = 5
GZIP_LEVEL = 6


def compressible(content_type):
    return content_type.split(";", 1)[0].strip().lower().startswith(COMPRESSIBLE_TYPES)


def variants(body, content_type):
    """{encoding: body} for the identity body and, when worth it, Brotli and gzip."""
    found = {IDENTITY: body}
    if len(body) >= MIN_SIZE and compressible(content_type):
        for name, packed in (
            ("br", brotli.compress(body, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)),
            # mtime=0: the same page always compresses to the same bytes.
            ("gzip", gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)),
        ):
            if len(packed) < len(body):
                found[name] = packed
    return found


@functools.lru_cache(maxsize=256)
def negotiate(accept_encoding):
    """The encoding to send for an Accept-Encoding header: "br", "gzip" or "identity".

    The highest quality wins, Brotli first among equals; ``q=0`` refuses an encoding,
    also through ``*``. Identity is always possible (sent when nothing else is)."""
    qualities = {}
    for item in accept_encoding.split(","):
        name, _, params = item.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
        if name == "x-gzip":
            name = "gzip"
        qualities[name] = quality
    best, best_quality = IDENTITY, 0.0
    for name in ENCODINGS:
        quality = qualities.get(name, qualities.get("*", 0.0))
        if quality > best_quality:
            best, best_quality = name, quality
    return best
