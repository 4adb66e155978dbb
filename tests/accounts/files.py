"""Upload samples: genuine, hostile and broken files."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


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
