"""Photos for the demo's sample cases: a plastered wall with a crack, drawn, never real.

Each is made from a seed, so the demo is the same on every machine.
"""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

# Plaster, from white to the grey-beige of an older wall.
_WALLS = ((236, 232, 222), (224, 219, 205), (214, 210, 200), (230, 226, 218))


def _crack(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, height: int) -> None:
    """A stair-stepped crack from one edge across the wall, with a branch or two."""
    x, y = rng.uniform(0.1, 0.4) * width, 0.0
    points = [(x, y)]
    while y < height and 0 < x < width:
        x += rng.uniform(-0.02, 0.06) * width
        y += rng.uniform(0.02, 0.07) * height
        points.append((x, y))
    draw.line(points, fill=(70, 64, 58), width=rng.randint(3, 6), joint="curve")
    for start in rng.sample(points[2:-2], k=min(2, max(0, len(points) - 4))):
        bx, by = start
        branch = [start]
        for _ in range(rng.randint(3, 6)):
            bx += rng.uniform(0.01, 0.04) * width
            by += rng.uniform(-0.01, 0.03) * height
            branch.append((bx, by))
        draw.line(branch, fill=(90, 84, 76), width=2, joint="curve")


def damage_photo(seed: int, width: int = 1280, height: int = 960) -> bytes:
    """A JPEG of a cracked wall, as a tenant's phone might send it."""
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    wall = Image.new("RGB", (width, height), rng.choice(_WALLS))
    grain = Image.effect_noise((width, height), 18).convert("RGB")
    wall = Image.blend(wall, grain, 0.12)
    draw = ImageDraw.Draw(wall)
    if rng.random() < 0.5:  # a door or window frame at one side
        left = rng.choice((0.05, 0.7)) * width
        draw.rectangle(
            (left, 0.15 * height, left + 0.25 * width, height), outline=(120, 96, 70), width=14
        )
    _crack(draw, rng, width, height)
    photo = wall.filter(ImageFilter.GaussianBlur(0.8))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85)
    return out.getvalue()
