"""Hostile files, built in memory: a small PNG that decodes to 6320 x 6320 pixels, and
well-formed PDFs (correct cross-reference table) carrying obfuscated active content."""

import struct
import zlib


def _png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def large_png(side=6320):
    """A genuine RGB PNG of side x side pixels (about 120 MB decoded, ~120 KB on disk),
    compressed row by row so this process never holds the pixels."""
    row = b"\x00" + b"\x80" * (side * 3)  # filter byte + one grey row
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def pdf(*extra_objects, catalog_extra=b""):
    """A one-page PDF with a valid xref table; extra objects are numbered from 4."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << >> >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


CLEAN_PDF = pdf()
# /S /JavaScript with one letter written as a #xx name escape: the same name to a reader.
JAVASCRIPT_PDF = pdf(
    b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>", catalog_extra=b"/OpenAction 4 0 R "
)
LAUNCH_PDF = pdf(
    b"<< /S /L#61unch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >>",
    catalog_extra=b"/OpenAction 4 0 R ",
)
# An HTML page first, a PDF after it: some readers and browsers sniff either.
HTML_FIRST_PDF = b"<html><body><script>alert(document.cookie)</script></body></html>\n" + CLEAN_PDF
