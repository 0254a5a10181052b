#!/usr/bin/env python3
"""Draws assets/logo.png, the project's own placeholder mark (the organisation
replaces it with its logo): a white disc holding a brand-red rounded warning
triangle with a white exclamation mark; everything outside the disc is
transparent, so the band shows through. Run from the repository root:
    python3 assets/src/make_logo.py
(needs Pillow). 8x supersampled for smooth edges; 160 px = 14 mm at 290 ppi."""
from PIL import Image, ImageDraw

SIZE, SS = 160, 8
RED = (200, 16, 46, 255)
WHITE = (255, 255, 255, 255)
big = SIZE * SS
img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
d.ellipse([0, 0, big - 1, big - 1], fill=WHITE)
s = big / 100.0  # drawing units: 0..100
# Rounded triangle: a thick-joined polygon.
tri = [(50 * s, 22 * s), (78 * s, 72 * s), (22 * s, 72 * s)]
d.polygon(tri, fill=RED)
for (x, y) in tri:
    d.ellipse([x - 5 * s, y - 5 * s, x + 5 * s, y + 5 * s], fill=RED)
d.line(tri + [tri[0]], fill=RED, width=int(10 * s), joint="curve")
# Exclamation mark.
d.rounded_rectangle([46 * s, 38 * s, 54 * s, 60 * s], radius=4 * s, fill=WHITE)
d.ellipse([45.5 * s, 63 * s, 54.5 * s, 72 * s], fill=WHITE)
img = img.resize((SIZE, SIZE), Image.LANCZOS)
img.save("assets/logo.png", optimize=True)
