"""Illustrations for the demo content, drawn with Pillow at load time (no downloads).

Flat, abstract compositions in the site palette: a diagonal gradient, soft discs, and
one simple motif per program (an EKG trace, capsules, a blood drop...) or a stylised
building per campus. Drawn at twice the size and scaled down for smooth edges.
"""

import functools
import io
import math

from PIL import Image, ImageDraw, ImageFilter

NAVY = (18, 53, 91)
NAVY_DARK = (11, 36, 64)
TEAL = (11, 110, 114)
TEAL_LIGHT = (227, 241, 241)
AMBER = (242, 181, 68)
CREAM = (247, 244, 238)
WHITE = (255, 255, 255)
CORAL = (222, 110, 90)

WIDTH, HEIGHT = 1600, 1000
SCALE = 2


def _gradient(size, start, end):
    """Diagonal gradient from the top-left (start) to the bottom-right (end)."""
    w, h = size
    small = Image.new("RGB", (64, 40))
    pixels = small.load()
    for x in range(64):
        for y in range(40):
            t = (x / 63 * 0.6) + (y / 39 * 0.4)
            pixels[x, y] = tuple(round(a + (b - a) * t) for a, b in zip(start, end, strict=True))
    return small.resize((w, h), Image.BICUBIC)


def _canvas(start=NAVY, end=TEAL):
    return _gradient((WIDTH * SCALE, HEIGHT * SCALE), start, end).convert("RGBA")


def _layer(image):
    return Image.new("RGBA", image.size, (0, 0, 0, 0))


def _s(*values):
    return [round(v * SCALE) for v in values]


def _discs(image, discs):
    """Soft translucent circles: (cx, cy, r, color, alpha)."""
    layer = _layer(image)
    draw = ImageDraw.Draw(layer)
    for cx, cy, r, color, alpha in discs:
        draw.ellipse(_s(cx - r, cy - r, cx + r, cy + r), fill=(*color, alpha))
    layer = layer.filter(ImageFilter.GaussianBlur(2 * SCALE))
    return Image.alpha_composite(image, layer)


def _dots(image, x0, y0, cols, rows, gap, color=WHITE, alpha=60, r=4):
    layer = _layer(image)
    draw = ImageDraw.Draw(layer)
    for i in range(cols):
        for j in range(rows):
            cx, cy = x0 + i * gap, y0 + j * gap
            draw.ellipse(_s(cx - r, cy - r, cx + r, cy + r), fill=(*color, alpha))
    return Image.alpha_composite(image, layer)


def _finish(image):
    out = image.convert("RGB").resize((WIDTH, HEIGHT), Image.LANCZOS)
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=90, optimize=True)
    return buffer.getvalue()


def _base(variant=0):
    palettes = [(NAVY, TEAL), (NAVY_DARK, NAVY), (TEAL, NAVY), (NAVY, (23, 80, 110))]
    start, end = palettes[variant % len(palettes)]
    image = _canvas(start, end)
    image = _discs(
        image,
        [
            (1330, 170, 260, TEAL_LIGHT, 34),
            (1490, 110, 70, AMBER, 255),
            (170, 900, 320, TEAL_LIGHT, 28),
            (1450, 880, 180, WHITE, 22),
        ],
    )
    return _dots(image, 90, 90, 6, 4, 34, alpha=70)


# --- motifs ---------------------------------------------------------------------------


def _card(draw, box, radius=36, fill=(*CREAM, 255), outline=None):
    draw.rounded_rectangle(_s(*box), radius=radius * SCALE, fill=fill, outline=outline)


def _ekg(draw, x0, y0, width, amplitude, color, line=10):
    """A PQRST trace repeated across ``width``."""
    beat = [
        (0, 0),
        (60, 0),
        (80, -0.12),
        (100, 0),
        (130, 0),
        (142, 0.18),
        (160, -1.0),
        (178, 0.42),
        (192, 0),
        (240, 0),
        (270, -0.25),
        (300, 0),
        (360, 0),
    ]
    points, x = [], x0
    while x < x0 + width:
        for dx, dy in beat:
            if x + dx > x0 + width:
                break
            points.append((x + dx, y0 + dy * amplitude))
        x += 360
    draw.line(
        [tuple(_s(px, py)) for px, py in points], fill=color, width=line * SCALE, joint="curve"
    )


def _capsule(image, cx, cy, length, thickness, angle, left, right):
    """A two-color capsule centred on (cx, cy), rotated by ``angle`` degrees."""
    w, h = length * SCALE, thickness * SCALE
    pill = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, w - 1, h - 1), radius=h // 2, fill=255)
    draw = ImageDraw.Draw(pill)
    draw.rectangle((0, 0, w // 2, h), fill=left)
    draw.rectangle((w // 2, 0, w, h), fill=right)
    pill.putalpha(mask)
    pill = pill.rotate(angle, resample=Image.BICUBIC, expand=True)
    image.alpha_composite(
        pill, (round(cx * SCALE - pill.width / 2), round(cy * SCALE - pill.height / 2))
    )


def _drop(draw, cx, cy, size, color):
    pts = []
    for k in range(0, 361, 6):
        t = math.radians(k)
        x = size * 0.62 * math.sin(t) * (1 - math.cos(t)) / 2 * 1.6
        y = -size * math.cos(t) * 0.9
        pts.append((cx + x, cy + y))
    draw.polygon([tuple(_s(*p)) for p in pts], fill=color)
    draw.ellipse(
        _s(cx - size * 0.62, cy - size * 0.2, cx + size * 0.62, cy + size * 1.02), fill=color
    )


def _heart(draw, cx, cy, size, color):
    pts = []
    for k in range(0, 361, 4):
        t = math.radians(k)
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((cx + x * size / 16, cy - y * size / 16))
    draw.polygon([tuple(_s(*p)) for p in pts], fill=color)


def _cross(draw, cx, cy, size, color):
    t = size / 3
    draw.rounded_rectangle(
        _s(cx - t / 2, cy - size / 2, cx + t / 2, cy + size / 2), radius=8 * SCALE, fill=color
    )
    draw.rounded_rectangle(
        _s(cx - size / 2, cy - t / 2, cx + size / 2, cy + t / 2), radius=8 * SCALE, fill=color
    )


def _lines(draw, x, y, widths, gap=34, color=(*NAVY, 70), height=14):
    for i, w in enumerate(widths):
        draw.rounded_rectangle(
            _s(x, y + i * gap, x + w, y + i * gap + height), radius=7 * SCALE, fill=color
        )


def _medical_assisting(image):
    draw = ImageDraw.Draw(image)
    _card(draw, (300, 230, 1010, 800))
    # stethoscope: ear tubes, a U-shaped yoke, the tube down to the chest piece
    navy = (*NAVY, 255)
    draw.line([tuple(_s(440, 300)), tuple(_s(420, 430))], fill=navy, width=14 * SCALE)
    draw.line([tuple(_s(680, 300)), tuple(_s(700, 430))], fill=navy, width=14 * SCALE)
    for x in (440, 680):
        draw.ellipse(_s(x - 18, 282, x + 18, 318), fill=(*TEAL, 255))
    draw.arc(_s(420, 290, 700, 570), start=0, end=180, fill=navy, width=14 * SCALE)
    draw.line([tuple(_s(560, 565)), tuple(_s(560, 640))], fill=navy, width=14 * SCALE)
    draw.arc(_s(560, 540, 760, 740), start=90, end=180, fill=navy, width=14 * SCALE)
    draw.ellipse(_s(640, 680, 740, 780), fill=(*TEAL, 255))
    draw.ellipse(_s(670, 710, 710, 750), fill=(*CREAM, 255))
    # apple and leaf: nutrition
    draw.ellipse(_s(810, 360, 960, 510), fill=(*CORAL, 255))
    draw.ellipse(_s(760, 370, 900, 510), fill=(*CORAL, 255))
    draw.line([tuple(_s(860, 375)), tuple(_s(875, 320))], fill=(*NAVY, 255), width=8 * SCALE)
    draw.ellipse(_s(878, 300, 950, 340), fill=(*TEAL, 255))
    _lines(draw, 780, 560, [170, 140, 160, 110])
    _ekg(draw, 1040, 610, 420, 140, (*AMBER, 255), line=9)


def _admin_assistant(image):
    draw = ImageDraw.Draw(image)
    _card(draw, (260, 220, 900, 800))
    draw.rounded_rectangle(_s(260, 220, 900, 330), radius=36 * SCALE, fill=(*TEAL, 255))
    draw.rectangle(_s(260, 290, 900, 330), fill=(*TEAL, 255))
    for i in range(7):
        for j in range(5):
            x, y = 300 + i * 84, 370 + j * 84
            busy = (i * 3 + j * 5) % 7 in {1, 4}
            draw.rounded_rectangle(
                _s(x, y, x + 64, y + 64),
                radius=12 * SCALE,
                fill=(*AMBER, 255) if busy else (*NAVY, 40),
            )
    # clipboard
    _card(draw, (980, 300, 1360, 820), radius=30, fill=(*WHITE, 255))
    draw.rounded_rectangle(_s(1100, 270, 1240, 330), radius=16 * SCALE, fill=(*NAVY, 255))
    _lines(
        draw, 1040, 400, [260, 220, 250, 180, 240, 200, 150], gap=50, color=(*NAVY, 80), height=16
    )
    for k in range(3):
        draw.ellipse(_s(1030, 395 + k * 100, 1030 + 6, 395 + k * 100 + 6), fill=(*TEAL, 255))


def _billing_coding(image):
    draw = ImageDraw.Draw(image)
    for k, (dx, dy, alpha) in enumerate(((140, 120, 120), (70, 60, 190), (0, 0, 255))):
        _card(draw, (330 + dx, 200 + dy, 930 + dx, 820 + dy), radius=28, fill=(*CREAM, alpha))
        if k == 2:
            _lines(draw, 390, 270, [380, 300, 420, 260], gap=44)
            for row in range(4):
                y = 480 + row * 70
                draw.rounded_rectangle(
                    _s(390, y, 520, y + 44), radius=10 * SCALE, fill=(*TEAL, 255)
                )
                draw.rounded_rectangle(
                    _s(545, y + 14, 860, y + 30), radius=8 * SCALE, fill=(*NAVY, 70)
                )
    # bar chart: revenue cycle
    for i, h in enumerate((180, 260, 220, 340, 300)):
        x = 1130 + i * 70
        draw.rounded_rectangle(
            _s(x, 780 - h, x + 46, 780),
            radius=10 * SCALE,
            fill=(*AMBER, 255) if i == 3 else (*WHITE, 200),
        )
    draw.line([tuple(_s(1110, 790)), tuple(_s(1480, 790))], fill=(*WHITE, 220), width=6 * SCALE)


def _phlebotomy(image):
    draw = ImageDraw.Draw(image)
    _drop(draw, 520, 430, 220, (*CORAL, 255))
    draw.ellipse(_s(440, 470, 500, 530), fill=(*WHITE, 120))
    # tube rack
    _card(draw, (850, 600, 1420, 700), radius=24, fill=(*CREAM, 255))
    caps = [TEAL, AMBER, CORAL, NAVY_DARK, TEAL]
    for i, cap in enumerate(caps):
        x = 890 + i * 105
        draw.rounded_rectangle(_s(x, 330, x + 60, 640), radius=30 * SCALE, fill=(*WHITE, 230))
        draw.rounded_rectangle(
            _s(x, 460 + i * 12, x + 60, 640), radius=30 * SCALE, fill=(*CORAL, 200)
        )
        draw.rounded_rectangle(_s(x - 6, 300, x + 66, 360), radius=12 * SCALE, fill=(*cap, 255))


def _ekg_motif(image):
    draw = ImageDraw.Draw(image)
    _card(draw, (180, 240, 1420, 780), radius=40, fill=(*NAVY_DARK, 200))
    for x in range(220, 1400, 60):
        draw.line([tuple(_s(x, 270)), tuple(_s(x, 750))], fill=(*TEAL, 120), width=2 * SCALE)
    for y in range(270, 760, 60):
        draw.line([tuple(_s(200, y)), tuple(_s(1400, y))], fill=(*TEAL, 120), width=2 * SCALE)
    _ekg(draw, 220, 560, 1160, 240, (*AMBER, 255), line=11)
    _heart(draw, 1300, 330, 40, (*CORAL, 255))


def _patient_care(image):
    draw = ImageDraw.Draw(image)
    _heart(draw, 560, 470, 260, (*CORAL, 255))
    _cross(draw, 560, 470, 150, (*WHITE, 255))
    _card(draw, (920, 300, 1400, 760), radius=34, fill=(*CREAM, 255))
    # vitals panel: pulse, temperature bar, blood pressure dial
    _ekg(draw, 960, 420, 400, 70, (*TEAL, 255), line=7)
    draw.rounded_rectangle(_s(960, 520, 1360, 550), radius=15 * SCALE, fill=(*NAVY, 40))
    draw.rounded_rectangle(_s(960, 520, 1230, 550), radius=15 * SCALE, fill=(*AMBER, 255))
    draw.arc(_s(1060, 580, 1260, 780), start=180, end=360, fill=(*NAVY, 255), width=14 * SCALE)
    draw.line([tuple(_s(1160, 680)), tuple(_s(1220, 620))], fill=(*CORAL, 255), width=8 * SCALE)


def _pharmacy(image):
    draw = ImageDraw.Draw(image)
    # bottle
    draw.rounded_rectangle(_s(360, 330, 700, 820), radius=40 * SCALE, fill=(*AMBER, 235))
    draw.rounded_rectangle(_s(340, 250, 720, 340), radius=20 * SCALE, fill=(*WHITE, 255))
    _card(draw, (400, 470, 660, 690), radius=20, fill=(*CREAM, 255))
    _cross(draw, 530, 580, 110, (*TEAL, 255))
    capsules = [
        (900, 380, 30, TEAL, WHITE),
        (1120, 300, -20, CORAL, CREAM),
        (1300, 470, 60, AMBER, WHITE),
        (980, 620, -35, WHITE, TEAL),
        (1210, 690, 15, NAVY_DARK, AMBER),
    ]
    for cx, cy, angle, a, b in capsules:
        _capsule(image, cx, cy, 220, 80, angle, (*a, 255), (*b, 255))
    for cx, cy in ((1380, 250), (860, 780), (1420, 760)):
        draw.ellipse(_s(cx - 34, cy - 34, cx + 34, cy + 34), fill=(*WHITE, 230))
        draw.line(
            [tuple(_s(cx - 24, cy)), tuple(_s(cx + 24, cy))], fill=(*NAVY, 120), width=5 * SCALE
        )


PROGRAM_MOTIFS = {
    "medical-assisting-nutrition-weight-management": (_medical_assisting, 0),
    "medical-administrative-assistant": (_admin_assistant, 1),
    "medical-billing-and-coding": (_billing_coding, 3),
    "phlebotomy-technician": (_phlebotomy, 2),
    "ekg-technician": (_ekg_motif, 1),
    "patient-care-technician": (_patient_care, 0),
    "pharmacy-technician": (_pharmacy, 2),
}


# Drawn once per process: the same slug always gives the same bytes, and drawing is the
# slowest part of loading the demo (blur and resize of full-size images).
@functools.lru_cache(maxsize=32)
def program_image(slug):
    """JPEG bytes of the illustration for a demo program."""
    motif, variant = PROGRAM_MOTIFS.get(slug, (_medical_assisting, 0))
    image = _base(variant)
    motif(image)
    return _finish(image)


# --- campuses -------------------------------------------------------------------------


def _windows(draw, box, cols, rows, lit=(*AMBER, 230), dark=(*WHITE, 50), seed=0):
    x0, y0, x1, y1 = box
    w, h = (x1 - x0) / cols, (y1 - y0) / rows
    for i in range(cols):
        for j in range(rows):
            on = (i * 7 + j * 3 + seed) % 5 == 0
            draw.rectangle(
                _s(
                    x0 + i * w + w * 0.22,
                    y0 + j * h + h * 0.2,
                    x0 + (i + 1) * w - w * 0.22,
                    y0 + (j + 1) * h - h * 0.25,
                ),
                fill=lit if on else dark,
            )


def _tree(draw, x, ground, size):
    draw.rectangle(_s(x - 8, ground - size * 0.5, x + 8, ground), fill=(*NAVY_DARK, 255))
    draw.ellipse(
        _s(x - size * 0.45, ground - size * 1.25, x + size * 0.45, ground - size * 0.35),
        fill=(*TEAL, 255),
    )


def _dallas():
    image = _canvas((23, 70, 120), (242, 181, 68))
    image = _discs(image, [(1180, 300, 150, (255, 236, 190), 200), (300, 200, 240, WHITE, 25)])
    draw = ImageDraw.Draw(image)
    ground = 860
    towers = [
        (80, 300, 420),
        (300, 180, 600),
        (400, 140, 300),
        (560, 200, 700),
        (780, 150, 520),
        (950, 230, 640),
        (1200, 170, 460),
        (1380, 190, 560),
    ]
    for k, (x, w, h) in enumerate(towers):
        color = (*NAVY_DARK, 255) if k % 2 else (*NAVY, 255)
        draw.rectangle(_s(x, ground - h, x + w, ground), fill=color)
        _windows(
            draw,
            (x + 12, ground - h + 30, x + w - 12, ground - 20),
            max(2, w // 40),
            max(4, h // 50),
            seed=k,
        )
    # a spire and a ball-topped tower: a nod to the Dallas skyline
    draw.polygon([tuple(_s(640, 160)), tuple(_s(610, 260)), tuple(_s(670, 260))], fill=(*NAVY, 255))
    draw.line(
        [tuple(_s(1290, ground - 460)), tuple(_s(1290, 250))],
        fill=(*NAVY_DARK, 255),
        width=16 * SCALE,
    )
    draw.ellipse(_s(1235, 170, 1345, 280), fill=(*NAVY_DARK, 255))
    draw.rectangle(_s(0, ground, WIDTH, HEIGHT), fill=(*NAVY_DARK, 255))
    # the campus building in front
    draw.rectangle(_s(460, 640, 1140, ground), fill=(*CREAM, 255))
    draw.rectangle(_s(460, 620, 1140, 660), fill=(*TEAL, 255))
    _windows(draw, (490, 690, 1110, 820), 10, 2, lit=(*NAVY, 200), dark=(*TEAL_LIGHT, 255), seed=1)
    draw.rectangle(_s(760, 760, 840, ground), fill=(*NAVY, 255))
    for x in (400, 1200):
        _tree(draw, x, ground, 150)
    return _finish(image)


def _arlington():
    image = _canvas((120, 180, 200), (247, 244, 238))
    image = _discs(image, [(1260, 220, 130, AMBER, 200), (260, 180, 260, WHITE, 60)])
    draw = ImageDraw.Draw(image)
    ground = 830
    # low hills and a wide two-storey building
    draw.ellipse(_s(-300, 640, 900, 1200), fill=(*TEAL, 200))
    draw.ellipse(_s(700, 660, 1900, 1200), fill=(*TEAL, 170))
    draw.rectangle(_s(0, ground, WIDTH, HEIGHT), fill=(92, 140, 110))
    draw.rectangle(_s(330, 420, 1270, ground), fill=(*WHITE, 255))
    draw.rectangle(_s(330, 400, 1270, 440), fill=(*NAVY, 255))
    draw.rectangle(_s(700, 360, 900, ground), fill=(*NAVY, 255))
    _windows(draw, (360, 470, 690, 800), 5, 3, lit=(*TEAL, 230), dark=(*TEAL_LIGHT, 255), seed=2)
    _windows(draw, (910, 470, 1240, 800), 5, 3, lit=(*TEAL, 230), dark=(*TEAL_LIGHT, 255), seed=4)
    draw.rectangle(_s(740, 600, 860, ground), fill=(*AMBER, 255))
    draw.line([tuple(_s(800, 600)), tuple(_s(800, ground))], fill=(*NAVY, 255), width=4 * SCALE)
    # parking lot stripes and trees
    draw.rectangle(_s(0, ground + 40, WIDTH, HEIGHT), fill=(70, 80, 92))
    for x in range(60, WIDTH, 120):
        draw.rectangle(_s(x, ground + 70, x + 10, HEIGHT), fill=(*WHITE, 200))
    for x, size in ((180, 190), (260, 140), (1360, 200), (1470, 150)):
        _tree(draw, x, ground + 20, size)
    return _finish(image)


CAMPUS_ART = {"dallas": _dallas, "arlington": _arlington}


@functools.lru_cache(maxsize=8)
def campus_image(slug):
    """JPEG bytes of the illustration for a demo campus."""
    return CAMPUS_ART.get(slug, _arlington)()
