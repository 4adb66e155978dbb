"""Upload samples: genuine, hostile and broken files."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def build_pdf(objects, *, packed=None, header=b"%PDF-1.7\n"):
    """A well-formed PDF: ``objects`` maps object numbers to their bodies (object 1 is
    the catalog). ``packed`` objects go into a compressed object stream, indexed by a
    cross-reference stream, as PDF 1.5+ writers do; otherwise a classic xref table."""
    out = bytearray(header)
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    if not packed:
        size = max(objects) + 1
        xref_at = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += (
                b"%010d 00000 n \n" % offsets[number]
                if number in offsets
                else (b"0000000000 65535 f \n")
            )
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            size,
            xref_at,
        )
        return bytes(out)
    stream_number = max([*objects, *packed]) + 1
    index, bodies = [], b""
    for number, body in sorted(packed.items()):
        index.append(b"%d %d" % (number, len(bodies)))
        bodies += body + b"\n"
    head = b" ".join(index) + b"\n"
    data = zlib.compress(head + bodies)
    offsets[stream_number] = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        stream_number,
        len(packed),
        len(head),
        len(data),
    )
    out += b"stream\n" + data + b"\nendstream\nendobj\n"
    xref_number = stream_number + 1
    offsets[xref_number] = len(out)
    rows = b""
    for number in range(xref_number + 1):
        if number in offsets:
            rows += struct.pack(">BIH", 1, offsets[number], 0)
        elif number in packed:
            rows += struct.pack(">BIH", 2, stream_number, sorted(packed).index(number))
        else:
            rows += struct.pack(">BIH", 0, 0, 65535)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\n" % (
        xref_number,
        xref_number + 1,
        len(rows),
    )
    out += b"stream\n" + rows + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


PAGES = {
    1: b"<< /Type /Catalog /Pages 2 0 R >>",
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
}
PDF_BYTES = build_pdf(PAGES)


def pdf_with(catalog_extra=b"", **extra_objects):
    """The sample PDF with entries added to its catalog and objects added (obj4=...)."""
    objects = dict(PAGES)
    objects[1] = PAGES[1][:-2] + b" " + catalog_extra + b" >>"
    objects.update({int(key[3:]): body for key, body in extra_objects.items()})
    return build_pdf(objects)


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf(name="cpr-card.pdf", data=PDF_BYTES):
    return upload(name, data, "application/pdf")


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), exif=None, mode="RGB"):
    out = io.BytesIO()
    img = Image.new(mode, size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    img.save(out, format=fmt, **kwargs)
    return out.getvalue()


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "Camera App 1.0"  # Software
    gps = {1: "N", 2: (32.0, 46.0, 0.0), 3: "W", 4: (96.0, 48.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo
    return exif


def jpeg_with_gps(name="card.jpg"):
    return upload(name, image_bytes("JPEG", exif=gps_exif()), "image/jpeg")


def png(name="card.png", **kw):
    return upload(name, image_bytes("PNG", **kw), "image/png")


def webp(name="card.webp"):
    return upload(name, image_bytes("WEBP"), "image/webp")


def png_bomb(name="bomb.png", width=30_000, height=30_000):
    """A tiny PNG whose header promises width x height pixels (a decompression bomb)."""

    def chunk(kind, data):
        body = kind + data
        return (
            struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    raw = zlib.compress(b"\x00" * (width // 8 + 1) * 16, 9)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )
    return upload(name, data, "image/png")


def big_file(name="scan.pdf", size=10 * 1024 * 1024 + 1):
    return upload(name, b"%PDF-1.4\n" + b"0" * (size - 9), "application/pdf")
