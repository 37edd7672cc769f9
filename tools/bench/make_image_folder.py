#!/usr/bin/python3
"""A synthetic ImageFolder for timing `embed` against `embed --engine spark` (docs/SCALE.md).

    /usr/bin/python3 tools/bench/make_image_folder.py --out target/scale/images --n 256 --size 256

Writes OUT/c<k>/<i>.jpg: smooth random colour fields (JPEG-compressed like photos), 8 classes.
"""
import argparse
import os

import numpy as np
from PIL import Image


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--out', required=True)
    p.add_argument('--n', type=int, default=256)
    p.add_argument('--size', type=int, default=256)
    p.add_argument('--seed', type=int, default=7)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    for i in range(a.n):
        folder = os.path.join(a.out, f'c{i % 8}')
        os.makedirs(folder, exist_ok=True)
        coarse = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
        image = Image.fromarray(coarse).resize((a.size, a.size), Image.BICUBIC)
        image.save(os.path.join(folder, f'{i:05d}.jpg'), quality=90)
    print(f'wrote {a.n} images of {a.size} x {a.size} to {a.out}')


if __name__ == '__main__':
    main()
