"""Pillow outputs of the deterministic RandAugment operations on image/photo.png, at fixed arguments
(run with /usr/bin/python3; Pillow 9.4). The Java tests apply the same operation at the magnitude that maps to
the same argument, and compare.
"""
import os
import numpy as np
from PIL import Image, ImageEnhance, ImageOps

res = os.path.join(os.path.dirname(__file__), "..", "resources")
out = os.path.join(res, "augment")
os.makedirs(out, exist_ok=True)
im = Image.open(os.path.join(res, "image", "photo.png")).convert("RGB")
fill = (123, 117, 104)


def save(name, image):
    np.save(os.path.join(out, name + ".npy"), np.ascontiguousarray(np.asarray(image)))


save("autocontrast", ImageOps.autocontrast(im))
save("equalize", ImageOps.equalize(im))
save("posterize3", ImageOps.posterize(im, 3))
save("solarize230", ImageOps.solarize(im, 230))
save("color1.72", ImageEnhance.Color(im).enhance(1.72))       # m = 9
save("contrast0.46", ImageEnhance.Contrast(im).enhance(0.46))  # m = 2
save("brightness1.9", ImageEnhance.Brightness(im).enhance(1.9))  # m = 10
save("sharpness1.9", ImageEnhance.Sharpness(im).enhance(1.9))  # m = 10
save("rotate27", im.rotate(27, resample=Image.BILINEAR, fillcolor=fill))  # m = 9
save("shearx0.27", im.transform(im.size, Image.AFFINE, (1, 0.27, 0, 0, 1, 0), Image.BILINEAR, fillcolor=fill))
save("translatey-0.45", im.transform(im.size, Image.AFFINE, (1, 0, 0, 0, 1, -0.45 * im.size[1]), Image.BILINEAR,
                                     fillcolor=fill))
