"""Public images (program heroes, campus photos): checks on upload, EXIF removal, renditions.

Every image goes through the same pipeline whether staff upload it in the admin or the
demo loader generates it: ``validate_image_upload`` refuses anything that is not a
JPEG, PNG or WebP of sensible size, ``sanitize_image`` re-encodes the original without
its metadata (EXIF can carry GPS positions and camera serial numbers), and
``make_renditions`` writes the resized WebP and JPEG files the templates serve with
``srcset``. Renditions are made once, when the image changes, never per request.

Every file written here is named after its content (``programs.media_names``), so
/media/ and the object store can tell browsers to keep it for a year.
"""

import ctypes
import ctypes.util
import functools
import io
import logging
import re
import threading
import warnings
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from programs.media_names import content_name, is_content_named

logger = logging.getLogger(__name__)

# One image pipeline for every upload on the site: public images here, and the portal's
# evidence and profile photos (accounts.uploads), so the limits live in one place.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# A worker must stay well under its memory budget (150 MB, README) while it decodes. A
# decoded pixel costs 3 or 4 bytes, so at most 12.5 megapixels are ever decoded (at most
# 50 MB): a 12-megapixel phone photo at full size. JPEG can be decoded at 1/2, 1/4 or
# 1/8 scale (Image.draft), so JPEG photos up to 24 megapixels are accepted and decoded
# smaller; PNG and WebP cannot, so their limit is the decoded limit itself.
MAX_DECODED_PIXELS = 12_500_000
MAX_PIXELS = 24_000_000
MAX_SIDE = 12_000
MIN_SIDE = 200
ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# Slots measured in Chromium (SLOT_SIZES below): 334-336 CSS px on a 360 px phone,
# 386 px at 412 px, 334-636 px on tablets and desktops. At 1x a 360 px phone takes the
# 360 rendition, at 2x (668 device px) the 720 one: never more than ~2x its slot.
RENDITION_WIDTHS = (360, 480, 720, 960, 1280, 1600)
WEBP_QUALITY = 80
JPEG_QUALITY = 82

_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


# Each worker runs several threads (gthread): were each to decode its own upload, one
# worker would hold several decoded images at once. One decode at a time per process keeps
# a worker's peak to one image's worth (README: 150 MB per worker); the others wait a
# fraction of a second.
_DECODE_SLOT = threading.BoundedSemaphore(1)
try:
    # glibc keeps freed memory in per-thread arenas; handing it back after each decode
    # stops every thread of a worker from keeping an image's worth of its own.
    _malloc_trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
except (OSError, AttributeError):  # not glibc: nothing to hand back
    _malloc_trim = None


def one_decode_at_a_time(function):
    """Run ``function`` (which decodes or re-encodes an upload) alone in this process."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with _DECODE_SLOT:
            try:
                return function(*args, **kwargs)
            finally:
                if _malloc_trim is not None:
                    _malloc_trim(0)

    return wrapper


def _rewind(file):
    if hasattr(file, "seek"):
        file.seek(0)


def _is_stored(value):
    """A FieldFile already saved in storage was checked when it was uploaded."""
    return isinstance(value, FieldFile) and getattr(value, "_committed", True)


def _megapixels(pixels):
    return f"{pixels / 1_000_000:g}"


def open_checked(file):
    """Open an image and check it from its header, before any pixel is decoded.

    Returns the (not yet decoded) PIL image; raises ValidationError for anything that is
    not a JPEG, PNG or WebP, or has more pixels than we decode safely.
    """
    _rewind(file)
    try:
        with warnings.catch_warnings():
            # Pillow warns (and past twice its limit, raises) on decompression bombs.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            width, height = image.size
            fmt = image.format
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ValidationError(
            "This image has too many pixels to process safely. "
            "Upload a picture of at most %(limit)s megapixels.",
            code="too_many_pixels",
            params={"limit": _megapixels(MAX_PIXELS)},
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG or WebP picture.",
            code="not_an_image",
        ) from exc
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(
            "%(format)s images are not accepted. Upload a JPEG, PNG or WebP picture.",
            code="wrong_format",
            params={"format": fmt or "This kind of"},
        )
    limit = MAX_PIXELS if fmt == "JPEG" else min(MAX_PIXELS, MAX_DECODED_PIXELS)
    if width * height > limit or max(width, height) > MAX_SIDE:
        raise ValidationError(
            "This image is %(width)s by %(height)s pixels, more than the %(limit)s megapixels "
            "we accept for a %(format)s picture. Resize it (3000 pixels wide is plenty) or "
            "save it as a JPEG, and upload it again.",
            code="too_many_pixels",
            params={
                "width": width,
                "height": height,
                "limit": _megapixels(limit),
                "format": ALLOWED_FORMATS[fmt],
            },
        )
    return image


def decode_bounded(image, *, fit=None):
    """Decode an image from ``open_checked`` without ever holding more than
    MAX_DECODED_PIXELS, apply its EXIF rotation and, with ``fit`` (a width, height box),
    shrink it to fit. A JPEG is decoded at a reduced scale when it is large or when
    only a small copy is needed (a 24-megapixel photo for a 512 px avatar decodes at 1/8).
    """
    width, height = image.size
    if fit and image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8):
        fit = (fit[1], fit[0])  # the box is upright; the stored pixels are turned 90°
    if image.format == "JPEG":
        scale = 1
        while scale < 8 and (width // scale) * (height // scale) > MAX_DECODED_PIXELS:
            scale *= 2
        # Only a smaller copy needed: decode at a scale that still leaves twice the
        # pixels the resize needs, so the result stays sharp.
        ratio = min(fit[0] / width, fit[1] / height, 1) if fit else 1
        while scale < 8 and 1 / (scale * 2) >= 2 * ratio:
            scale *= 2
        if scale > 1:
            image.draft(None, (width // scale, height // scale))
    if image.size[0] * image.size[1] > MAX_DECODED_PIXELS:
        # open_checked refuses these: never decode one, whatever the caller did.
        raise ValidationError("This image has too many pixels.", code="too_many_pixels")
    image.load()
    if fit:
        image.thumbnail(fit, Image.Resampling.LANCZOS)
    # Phones store rotation in EXIF; apply it before the EXIF goes away (in place: a
    # copy would double the memory).
    ImageOps.exif_transpose(image, in_place=True)
    return image


def refuse_if_too_large(file, *, advice):
    """The one size check of every upload (public images, evidence, photos), from the
    size the upload declares, before anything is read."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "This file is %(size)s; the limit is %(limit)s. " + advice,
            code="too_large",
            params={
                "size": filesizeformat(size).replace("\xa0", " "),
                "limit": f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
            },
        )


@one_decode_at_a_time
def validate_image_upload(file):
    """Refuse non-images, other formats, files over 10 MB and images over the pixel limit."""
    if file is None or _is_stored(file):
        return
    refuse_if_too_large(
        file, advice="Save the picture at a smaller size or higher compression and upload it again."
    )
    image = open_checked(file)
    try:
        image.verify()
        # verify() checks structure but does not decode JPEG data: decode every pixel now
        # (small: only the check needs it), as saving will, so a truncated file is
        # refused here rather than failing later in sanitize_image.
        _rewind(file)
        with Image.open(file) as decoded:
            decode_bounded(decoded, fit=(MIN_SIDE, MIN_SIDE))
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many kinds on truncated or corrupt data
        raise ValidationError(
            "This image file is damaged or incomplete. Export it again and re-upload it.",
            code="corrupt",
        ) from exc
    finally:
        _rewind(file)
    if min(image.size) < MIN_SIDE:
        raise ValidationError(
            "This image is only %(width)s by %(height)s pixels; upload one at least "
            "%(min)s pixels on each side so it stays sharp.",
            code="too_small",
            params={"width": image.size[0], "height": image.size[1], "min": MIN_SIDE},
        )


class ImageUploadField(forms.FileField):
    """Form field for public images: our checks and messages, not Django's generic one."""

    default_validators = [validate_image_upload]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", "image/jpeg,image/png,image/webp")
        return attrs


def _load_upright(file, *, fit=None):
    """Decode a checked image (bounded) with its EXIF rotation applied; returns
    (image, format)."""
    image = open_checked(file)
    fmt = image.format
    image = decode_bounded(image, fit=fit)
    _rewind(file)
    return image, fmt


def _flatten(image, background=(255, 255, 255)):
    """RGB copy with transparency composited on white (JPEG has no alpha)."""
    if image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, background)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


@one_decode_at_a_time
def sanitize_image(file, *, name):
    """Re-encode an uploaded image without metadata; returns (ContentFile, clean name)."""
    image, fmt = _load_upright(file)
    buffer = io.BytesIO()
    if fmt == "JPEG":
        _flatten(image).save(buffer, "JPEG", quality=90, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.convert("RGBA" if "A" in image.getbands() else "RGB").save(buffer, "WEBP", quality=90)
    else:
        mode = "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
        image.convert(mode).save(buffer, "PNG", optimize=True)
    data = buffer.getvalue()
    stem = plain_stem(name)[:60] or "image"
    return ContentFile(data), content_name(stem, data, _EXTENSIONS[fmt])


_HASH_SUFFIX = re.compile(r"(?:\.[0-9a-f]{12})?(?:_[A-Za-z0-9]{7})?$")


def plain_stem(name):
    """The stem of a file name without the content hash (and storage suffix) we added."""
    return _HASH_SUFFIX.sub("", PurePosixPath(name).stem)


@one_decode_at_a_time
def make_renditions(field_file, *, folder):
    """Write WebP and JPEG copies at each rendition width; return the JSON stored on the model.

    Widths above the original's are skipped (no upscaling); an image narrower than the
    smallest width gets a single rendition at its own size.
    """
    with field_file.open("rb") as handle:
        image = _flatten(_load_upright(handle, fit=(RENDITION_WIDTHS[-1], MAX_SIDE))[0])
    width, height = image.size
    widths = [w for w in RENDITION_WIDTHS if w <= width] or [width]
    stem = plain_stem(field_file.name)[:40] or "image"
    sources = []
    for target in widths:
        target_height = round(height * target / width)
        resized = image if target == width else image.resize((target, target_height), Image.LANCZOS)
        entry = {"width": target, "height": target_height}
        for key, fmt, options in (
            ("webp", "WEBP", {"quality": WEBP_QUALITY, "method": 4}),
            ("jpeg", "JPEG", {"quality": JPEG_QUALITY, "optimize": True, "progressive": True}),
        ):
            buffer = io.BytesIO()
            resized.save(buffer, fmt, **options)
            data = buffer.getvalue()
            name = content_name(f"{stem}-{target}w", data, ".webp" if key == "webp" else ".jpg")
            entry[key] = default_storage.save(f"renditions/{folder}/{name}", ContentFile(data))
        sources.append(entry)
    return {"width": width, "height": height, "sources": sources}


def delete_renditions(renditions):
    for entry in (renditions or {}).get("sources", []):
        for key in ("webp", "jpeg"):
            if entry.get(key):
                default_storage.delete(entry[key])


class RenditionsMixin:
    """Model mixin: sanitize new uploads and (re)build renditions once, on save.

    ``image_renditions`` maps an ImageField name to the JSONField holding its renditions.
    """

    image_renditions: dict[str, str] = {}

    def save(self, *args, **kwargs):
        stale = []
        for field_name, renditions_name in self.image_renditions.items():
            field_file = getattr(self, field_name)
            if field_file and not field_file._committed:
                validate_image_upload(field_file.file)
                content, clean_name = sanitize_image(field_file.file, name=field_file.name)
                field_file.save(clean_name, content, save=False)
                stale.append(getattr(self, renditions_name))
                folder = self._meta.get_field(field_name).upload_to.strip("/") or "images"
                setattr(self, renditions_name, make_renditions(field_file, folder=folder))
            elif not field_file and getattr(self, renditions_name):
                stale.append(getattr(self, renditions_name))
                setattr(self, renditions_name, {})
        super().save(*args, **kwargs)
        for renditions in stale:
            try:
                delete_renditions(renditions)
            except OSError:
                logger.warning("Could not delete old renditions", exc_info=True)


# The width each image slot has at each Bootstrap breakpoint (container 100% minus the
# gutters below 576 px, then 540, 720, 960, 1140 and 1320 px), measured in Chromium; a
# card's 1 px borders make its image 2 px narrower than a framed one. The browser picks
# the rendition from these, before the layout is known, so they must match the CSS.
SLOT_SIZES = {
    # program card: one column on phones, two from 768 px, three from 1200 px
    "program-card": "(min-width: 1400px) 414px, (min-width: 1200px) 354px, "
    "(min-width: 992px) 454px, (min-width: 768px) 334px, (min-width: 576px) 514px, "
    "calc(100vw - 26px)",
    # home page campus card: one column on phones, two from 768 px
    "campus-card": "(min-width: 1400px) 634px, (min-width: 1200px) 544px, "
    "(min-width: 992px) 454px, (min-width: 768px) 334px, (min-width: 576px) 514px, "
    "calc(100vw - 26px)",
    # framed image beside text in a col-lg-5 (program page, campuses index)
    "col-5": "(min-width: 1400px) 526px, (min-width: 1200px) 451px, "
    "(min-width: 992px) 376px, (min-width: 768px) 696px, (min-width: 576px) 516px, "
    "calc(100vw - 24px)",
    # framed image beside text in a col-lg-6 (campus page)
    "col-6": "(min-width: 1400px) 636px, (min-width: 1200px) 546px, "
    "(min-width: 992px) 456px, (min-width: 768px) 696px, (min-width: 576px) 516px, "
    "calc(100vw - 24px)",
}


def picture_context(renditions, *, alt, sizes, eager=False, css_class=""):
    """Template context for ``programs/includes/_picture.html``; ``sizes`` is a slot
    name from SLOT_SIZES or a ``sizes`` attribute."""
    sources = (renditions or {}).get("sources") or []
    if not sources:
        return None
    largest = sources[-1]
    return {
        "alt": alt,
        "sizes": SLOT_SIZES.get(sizes, sizes),
        "eager": eager,
        "css_class": css_class,
        "webp_srcset": ", ".join(
            f"{default_storage.url(s['webp'])} {s['width']}w" for s in sources
        ),
        "jpeg_srcset": ", ".join(
            f"{default_storage.url(s['jpeg'])} {s['width']}w" for s in sources
        ),
        "src": default_storage.url(largest["jpeg"]),
        "width": largest["width"],
        "height": largest["height"],
    }


def largest_jpeg_url(renditions):
    sources = (renditions or {}).get("sources") or []
    return default_storage.url(sources[-1]["jpeg"]) if sources else ""


def renditions_are_current(field_file, renditions):
    """True when the image and each of its renditions is content-named and the widths
    are those make_renditions writes today."""
    sources = (renditions or {}).get("sources") or []
    if not sources or not is_content_named(field_file.name):
        return False
    width = renditions.get("width") or 0
    expected = [w for w in RENDITION_WIDTHS if w <= width] or [width]
    return [s["width"] for s in sources] == expected and all(
        is_content_named(s.get(key)) for s in sources for key in ("webp", "jpeg")
    )


def rebuild_renditions(obj, *, force=False):
    """Bring each image of a RenditionsMixin model instance up to date: store the
    (already sanitized) original under its content name and rewrite its renditions.
    Yields "rebuilt", "current" or "missing" per image field; saves only what changed."""
    for field_name, renditions_name in obj.image_renditions.items():
        field_file = getattr(obj, field_name)
        if not field_file:
            continue
        old = getattr(obj, renditions_name)
        if not force and renditions_are_current(field_file, old):
            yield "current"
            continue
        if not default_storage.exists(field_file.name):
            yield "missing"
            continue
        old_name = field_file.name
        if not is_content_named(old_name):
            with default_storage.open(old_name, "rb") as handle:
                data = handle.read()
            folder = str(PurePosixPath(old_name).parent)
            extension = PurePosixPath(old_name).suffix.lower() or ".jpg"
            name = content_name(plain_stem(old_name)[:60] or "image", data, extension)
            field_file.name = default_storage.save(f"{folder}/{name}", ContentFile(data))
        folder = obj._meta.get_field(field_name).upload_to.strip("/") or "images"
        setattr(obj, renditions_name, make_renditions(field_file, folder=folder))
        obj.save(update_fields=[field_name, renditions_name])
        try:
            delete_renditions(old)
            if field_file.name != old_name:
                default_storage.delete(old_name)
        except OSError:
            logger.warning("Could not delete old image files", exc_info=True)
        yield "rebuilt"
