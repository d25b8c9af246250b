#!/usr/bin/env bash
# Regenerates samples/data/photo-tiles.png and photo-tiles.csv: 20×20-pixel tiles cut from four real colour photographs
# that scikit-image ships (public domain or CC0), for em-gmm.ipynb's image-clustering part. Each photo is scaled to
# 320 pixels wide, cut into whole tiles, and the tiles are laid out row-major, 32 per row, in one PNG sprite sheet;
# the CSV names each tile's photo (its label) and where it came from.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q pillow numpy
"$work/venv/bin/pip" download -q --no-deps --only-binary=:all: -d "$work" scikit-image==0.26.0
(cd "$work" && unzip -q -o scikit_image-0.26.0-*.whl 'skimage/data/*')
"$work/venv/bin/python" - "$work/skimage/data" samples/data <<'PY'
import sys, numpy as np
from PIL import Image
src, out = sys.argv[1], sys.argv[2]
PHOTOS = [  # label, file, licence (from skimage/data/_fetchers.py)
    ("rocket", "rocket.jpg", "public domain (SpaceX)"),
    ("deep field", "hubble_deep_field.jpg", "public domain (NASA)"),
    ("coffee", "coffee.png", "CC0 (Rachel Michetti)"),
    ("cat", "chelsea.png", "CC0 (Stefan van der Walt)"),
]
TILE, WIDTH, PER_ROW = 20, 320, 32
tiles, rows = [], []
for label, name, licence in PHOTOS:
    im = Image.open(f"{src}/{name}").convert("RGB")
    im = im.resize((WIDTH, round(im.height * WIDTH / im.width)), Image.LANCZOS)
    a = np.asarray(im)
    for r in range(a.shape[0] // TILE):
        for c in range(a.shape[1] // TILE):
            tiles.append(a[r * TILE:(r + 1) * TILE, c * TILE:(c + 1) * TILE])
            rows.append(f"{len(rows)},{label},{name},{r},{c}")
n = len(tiles)
sheet = np.zeros((-(-n // PER_ROW) * TILE, PER_ROW * TILE, 3), np.uint8)
for i, t in enumerate(tiles):
    r, c = divmod(i, PER_ROW)
    sheet[r * TILE:(r + 1) * TILE, c * TILE:(c + 1) * TILE] = t
Image.fromarray(sheet).save(f"{out}/photo-tiles.png", optimize=True)
open(f"{out}/photo-tiles.csv", "w").write("tile,photo,file,tile_row,tile_col\n" + "\n".join(rows) + "\n")
print(n, "tiles;", {l: sum(1 for r in rows if r.split(',')[1] == l) for l, _, _ in PHOTOS})
PY
