"""Course cover images drawn with Pillow: abstract shapes, no text (no font needed)."""

import io
import random

from PIL import Image, ImageDraw

SIZE = (1200, 675)


def _hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def draw_cover(palette, seed):
    """A PNG (bytes) with a diagonal gradient between the palette's colours and soft shapes."""
    start, end = (_hex(c) for c in palette[:2])
    width, height = SIZE
    gradient = Image.new("RGB", (256, 1))
    for x in range(256):
        t = x / 255
        gradient.putpixel(
            (x, 0), tuple(round(a + (b - a) * t) for a, b in zip(start, end, strict=True))
        )
    image = gradient.resize((width, height))
    overlay = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    rng = random.Random(seed)  # noqa: S311 - deterministic: the same course always gets the same cover
    for _ in range(7):
        radius = rng.randint(60, 260)
        x, y = rng.randint(0, width), rng.randint(0, height)
        alpha = rng.randint(25, 70)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, alpha))
    for i in range(5):
        y = 420 + i * 36
        draw.rounded_rectangle(
            (80, y, 80 + rng.randint(260, 620), y + 14), 7, fill=(255, 255, 255, 150)
        )
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
