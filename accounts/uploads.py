"""Checks for files students upload: evidence, CE proofs and profile photos.

Nothing is written anywhere until a file has passed every check: the functions here
read the upload in memory and return clean bytes (images re-encoded by Pillow without
EXIF, GPS or other metadata) or raise ValidationError with a message a student can act
on. The content decides the type; the file name only has to agree with it.
"""

import io
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader, apply_configuration
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Image limits and the bounded decoder are shared with the public images.
from programs.images import (
    MAX_UPLOAD_BYTES,
    decode_bounded,
    one_decode_at_a_time,
    open_checked,
    refuse_if_too_large,
)

PHOTO_SIZE = 512

PDF_MIME = "application/pdf"
IMAGE_TYPES = {
    # Pillow format: (MIME type, extension written, extensions accepted)
    "JPEG": ("image/jpeg", ".jpg", {".jpg", ".jpeg"}),
    "PNG": ("image/png", ".png", {".png"}),
    "WEBP": ("image/webp", ".webp", {".webp"}),
}
ALLOWED_EXTENSIONS = {".pdf"} | set().union(*(exts for _, _, exts in IMAGE_TYPES.values()))
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,.webp,application/pdf,image/jpeg,image/png,image/webp"
PHOTO_ACCEPT_ATTRIBUTE = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"

# Active content in a PDF (scripts, launching programs, attached files, forms that send or
# load data) could attack the staff member who opens it; genuine certificates and score
# reports need none of it. These names are refused wherever they appear in the parsed
# file: as keys (/JS, /EmbeddedFiles, /XFA) or values (/S /Launch, /Type /EmbeddedFile).
PDF_FORBIDDEN_NAMES = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/EF",
        "/FileAttachment",
        "/GoToE",
        "/SubmitForm",
        "/ImportData",
        "/XFA",
        "/RichMedia",
        "/RichMediaExecute",
    }
)
# A hostile PDF must not pin a worker: bounded objects, pages, decoded bytes and time.
PDF_MAX_OBJECTS = 20_000
PDF_MAX_NODES = 500_000  # every dictionary entry and array item walked
PDF_MAX_PAGES = 500
PDF_MAX_SECONDS = 5.0
PDF_MAX_DECODED_BYTES = 32 * 1024 * 1024
PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]\s")
# Web page code in a PDF makes it a polyglot a browser could render as a page.
PDF_MARKUP = re.compile(rb"<(?:html|script|body|iframe|!doctype|svg)[\s>/]", re.IGNORECASE)
PDF_TRAILING_SPACE = b"\x00\t\n\f\r "

TYPES_HELP = _("Upload a PDF or a photo (JPEG, PNG or WebP) of up to 10 MB.")


@dataclass(frozen=True)
class CleanFile:
    content: ContentFile  # named with the right extension; saved under a random name
    original_name: str
    content_type: str
    size: int


def safe_display_name(name, *, extension=None):
    """The uploaded name as a student would recognise it, without paths or control chars."""
    name = PurePath(str(name or "").replace("\\", "/")).name
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable())
    name = name.strip().strip(".") or "upload"
    stem, suffix = PurePath(name).stem, PurePath(name).suffix
    if extension and suffix.lower() != extension:
        suffix = extension
    return f"{stem[:120]}{suffix[:10]}"


def _read(upload):
    refuse_if_too_large(
        upload, advice=_("Scan at a lower resolution or split it into several files.")
    )
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("This file is larger than 10 MB."), code="too_large")
    if not data:
        raise ValidationError(_("This file is empty."), code="empty")
    return data


def _sniff(data):
    if data.startswith(b"%PDF-"):
        return "PDF"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _describe(extension):
    return {
        ".pdf": "a PDF",
        ".jpg": "a JPEG image",
        ".jpeg": "a JPEG image",
        ".png": "a PNG image",
        ".webp": "a WebP image",
    }.get(extension, "a supported file")


def _open_image(data, expected_format, *, fit=None):
    """Check the header, then decode within the shared memory bound (programs.images):
    a metadata-free, upright image, shrunk to fit the ``fit`` box if given."""
    try:
        probe = open_checked(io.BytesIO(data))
        if probe.format != expected_format:
            raise ValidationError(_("This image could not be read."), code="bad_image")
        probe.verify()
        # verify() leaves the image unusable: open again to decode the pixels.
        with Image.open(io.BytesIO(data)) as image:
            image = decode_bounded(image, fit=fit)
        # No EXIF, ICC profile or text chunks travel with the pixels.
        image.info = {key: image.info[key] for key in ("transparency",) if key in image.info}
        return image
    except ValidationError as error:
        # The content starts like an image (sniffed), so unreadable means damaged.
        if error.code != "not_an_image":
            raise
        raise _damaged() from error
    except Exception as exc:
        raise _damaged() from exc


def _damaged():
    return ValidationError(
        _(
            "This image is damaged or incomplete and could not be read. Take the photo "
            "again or export it once more."
        ),
        code="bad_image",
    )


def _encode(image, pillow_format):
    """Re-encode with no metadata: nothing of the original file survives but pixels."""
    if pillow_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    elif pillow_format == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    elif pillow_format == "WEBP" and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    options = {"JPEG": {"quality": 88, "optimize": True}, "WEBP": {"quality": 85}}
    if image.mode == "P" and "transparency" in image.info:
        options["PNG"] = {"optimize": True, "transparency": image.info["transparency"]}
    image.info = {}  # no info, no EXIF, no ICC, no text chunks
    out = io.BytesIO()
    image.save(out, format=pillow_format, **options.get(pillow_format, {"optimize": True}))
    return out.getvalue()


def _photo_square(image):
    if image.mode in ("RGBA", "LA", "P"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    return image


def _encode_or_refuse(image, pillow_format, prepare=None):
    try:
        if prepare is not None:
            image = prepare(image)
        return _encode(image, pillow_format)
    except Exception as exc:
        raise ValidationError(
            _("This image could not be converted safely. Export it again as a JPEG or PDF."),
            code="bad_image",
        ) from exc


class _PdfTooComplex(Exception):
    pass


def _pdf_names(reader, deadline):
    """Every name in the file, as keys and as values: the trailer, every indirect object
    listed in the cross-reference (those packed in object streams too) and everything
    they contain. pypdf decodes filters, object streams and #-escapes in names."""
    refs = [IndirectObject(num, gen, reader) for gen, nums in reader.xref.items() for num in nums]
    refs += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
    if len(refs) > PDF_MAX_OBJECTS:
        raise _PdfTooComplex
    stack = [reader.trailer, *refs]
    seen = set()
    nodes = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        nodes += 1
        if nodes > PDF_MAX_NODES or len(seen) > PDF_MAX_OBJECTS or time.monotonic() > deadline:
            raise _PdfTooComplex
        if isinstance(obj, DictionaryObject):  # stream objects too (their dictionary)
            for key, value in obj.items():
                yield str(key)
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject):
            yield str(obj)


def _check_pdf(data):
    """Parse the PDF with pypdf and refuse active content, polyglots and unreadable files."""
    if not PDF_HEADER.match(data):
        raise ValidationError(
            _("This file does not start like a PDF. Save or export it again as a PDF."),
            "bad_pdf",
        )
    if not data.rstrip(PDF_TRAILING_SPACE).endswith(b"%%EOF"):
        if b"%%EOF" in data:
            raise ValidationError(
                _(
                    "This PDF has other data attached after its end, which we don't accept. "
                    "Print it to a new PDF, or upload a photo of the document instead."
                ),
                "pdf_trailing_data",
            )
        raise ValidationError(
            _(
                "This PDF is incomplete or damaged (it has no proper ending). Save or "
                "export it again, then upload the new file."
            ),
            "bad_pdf",
        )
    if PDF_MARKUP.search(data):
        raise ValidationError(
            _(
                "This PDF contains web page code, which we don't accept. Print it to a new "
                "PDF, or upload a photo of the document instead."
            ),
            "pdf_active_content",
        )
    deadline = time.monotonic() + PDF_MAX_SECONDS
    limits = {
        "maximum_declared_stream_length": MAX_UPLOAD_BYTES,
        "zlib_maximum_output_length": PDF_MAX_DECODED_BYTES,
        "lzw_maximum_output_length": PDF_MAX_DECODED_BYTES,
        "run_length_maximum_output_length": PDF_MAX_DECODED_BYTES,
        "array_based_stream_maximum_output_length": PDF_MAX_DECODED_BYTES,
        "brotli_maximum_output_length": PDF_MAX_DECODED_BYTES,
        "jbig2_maximum_output_length": PDF_MAX_DECODED_BYTES,
        "stream_decoding_work_maximum_length": 4 * PDF_MAX_DECODED_BYTES,
        "page_tree_maximum_entries": PDF_MAX_PAGES * 4,
        "page_tree_maximum_page_entries": PDF_MAX_PAGES * 4,
        "jbig2dec_binary": None,  # never run an external decoder on an upload
    }
    try:
        with apply_configuration(**limits):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ValidationError(
                    _(
                        "This PDF is protected by a password, so we can't check it. Remove the "
                        "password (print it to a new PDF) and upload it again."
                    ),
                    "pdf_encrypted",
                )
            if len(reader.pages) > PDF_MAX_PAGES:
                raise _PdfTooComplex
            active = any(name in PDF_FORBIDDEN_NAMES for name in _pdf_names(reader, deadline))
    except ValidationError:
        raise
    except (_PdfTooComplex, RecursionError) as exc:
        raise ValidationError(
            _(
                "This PDF is too large or complex for us to check (we accept up to 500 pages). "
                "Split it or print it to a new PDF, then upload it again."
            ),
            "pdf_too_complex",
        ) from exc
    except Exception as exc:  # pypdf raises many kinds on damaged or hostile files
        raise ValidationError(
            _(
                "This PDF is damaged and could not be read. Save or export it again, then "
                "upload the new file."
            ),
            "bad_pdf",
        ) from exc
    if active:
        raise ValidationError(
            _(
                "This PDF contains scripts, attached files or form actions, which we don't "
                "accept. Print it to a new PDF, or upload a photo of the document instead."
            ),
            "pdf_active_content",
        )


@one_decode_at_a_time
def validate_evidence(upload) -> CleanFile:
    """Check an uploaded evidence file; return clean content or raise ValidationError."""
    name = getattr(upload, "name", "") or ""
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            "“%(name)s” is not a file type we accept. " + TYPES_HELP,
            code="bad_extension",
            params={"name": safe_display_name(name)},
        )
    data = _read(upload)
    kind = _sniff(data)
    if kind is None:
        raise ValidationError(
            "“%(name)s” is named like %(what)s but its content is not one. " + TYPES_HELP,
            code="wrong_content",
            params={"name": safe_display_name(name), "what": _describe(extension)},
        )
    if kind == "PDF":
        if extension != ".pdf":
            raise ValidationError(
                "“%(name)s” is a PDF with an image's name. Rename it to end in .pdf.",
                code="wrong_content",
                params={"name": safe_display_name(name)},
            )
        _check_pdf(data)
        original = safe_display_name(name, extension=".pdf")
        return CleanFile(ContentFile(data, name="evidence.pdf"), original, PDF_MIME, len(data))
    if extension == ".pdf":
        raise ValidationError(
            "“%(name)s” is named like a PDF but its content is not one. " + TYPES_HELP,
            code="wrong_content",
            params={"name": safe_display_name(name)},
        )
    image = _open_image(data, kind)
    mime, written_ext, _ = IMAGE_TYPES[kind]
    cleaned = _encode_or_refuse(image, kind)
    original = safe_display_name(name, extension=written_ext)
    return CleanFile(
        ContentFile(cleaned, name=f"evidence{written_ext}"), original, mime, len(cleaned)
    )


@one_decode_at_a_time
def validate_photo(upload) -> CleanFile:
    """A profile photo: an image only, resized to fit 512 px, saved as a clean JPEG."""
    name = getattr(upload, "name", "") or ""
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS - {".pdf"}:
        raise ValidationError(
            _("Upload a photo in JPEG, PNG or WebP format (up to 10 MB)."), code="bad_extension"
        )
    data = _read(upload)
    kind = _sniff(data)
    if kind not in IMAGE_TYPES:
        raise ValidationError(
            _(
                "This file is named like a photo but its content is not an image. Upload a "
                "JPEG, PNG or WebP photo."
            ),
            code="wrong_content",
        )
    image = _open_image(data, kind, fit=(PHOTO_SIZE, PHOTO_SIZE))
    cleaned = _encode_or_refuse(image, "JPEG", prepare=_photo_square)
    return CleanFile(
        ContentFile(cleaned, name="photo.jpg"),
        safe_display_name(name, extension=".jpg"),
        "image/jpeg",
        len(cleaned),
    )


THUMBNAIL_SIDE = 240


@one_decode_at_a_time
def thumbnail_jpeg(file) -> bytes:
    """A small JPEG of a stored image (already checked and re-encoded on upload), for
    its owner's file list. JPEGs are decoded at a reduced scale (draft mode)."""
    with Image.open(file) as image:
        image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()
