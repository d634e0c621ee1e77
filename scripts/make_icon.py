"""Draws media/icon.png (128×128): three feature maps shrinking left to right, the way a CNN narrows.
Run with /usr/bin/python3 (Debian's python3-pil)."""
from PIL import Image, ImageDraw

SIZE = 128
img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
d.rounded_rectangle([0, 0, SIZE - 1, SIZE - 1], radius=22, fill=(30, 41, 59, 255))
# (x, y, size, depth, colour): a stack of maps getting smaller and deeper.
maps = [(14, 30, 56, 3, (56, 189, 248)), (58, 44, 34, 5, (129, 140, 248)), (90, 54, 18, 8, (244, 114, 182))]
for x, y, s, depth, colour in maps:
    for i in range(depth, -1, -1):
        off = i * 3
        shade = tuple(int(c * (0.55 + 0.45 * (1 - i / max(depth, 1)))) for c in colour) + (255,)
        d.rectangle([x + off, y - off, x + off + s, y - off + s], fill=shade, outline=(15, 23, 42, 255))
d.line([(14, 104), (114, 104)], fill=(148, 163, 184, 255), width=3)
img.save("media/icon.png")
