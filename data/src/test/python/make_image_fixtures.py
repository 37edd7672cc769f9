"""Image fixtures and Pillow reference outputs for the image tests (run with /usr/bin/python3; Pillow 9.4).

ycck.jpg is not made here: Pillow cannot write YCCK. It was written once by the JDK's JPEG writer from the raw
samples of cmyk.jpg with the Adobe transform flag set to 2, and is committed as is.
Expected outputs are uint8 .npy arrays (H, W, C) read by the Java tests with their own .npy reader.
"""
import os
import numpy as np
from PIL import Image

out = os.path.join(os.path.dirname(__file__), "..", "resources", "image")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(1234)


def photo(w, h):
    """Smooth gradients, a hard edge and noise: exercises both the smooth and the ringing parts of bicubic."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 255 * x / max(w - 1, 1)
    g = 255 * (0.5 + 0.5 * np.sin(y / 3.0))
    b = np.where((x - w / 2) ** 2 + (y - h / 2) ** 2 < (min(w, h) / 3) ** 2, 240.0, 20.0)
    a = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, (h, w, 3))
    return np.clip(a, 0, 255).astype(np.uint8)


def save_npy(name, arr):
    np.save(os.path.join(out, name), np.ascontiguousarray(arr))


def resize_shorter(im, n):
    """torchvision Resize(n) on a PIL image (0.14): shorter side n, longer int(n * long / short), bicubic."""
    w, h = im.size
    if w <= h:
        size = (n, int(n * h / w))
    else:
        size = (int(n * w / h), n)
    return im.resize(size, Image.BICUBIC)


def center_crop(im, n):
    w, h = im.size
    top = int(round((h - n) / 2.0))
    left = int(round((w - n) / 2.0))
    return im.crop((left, top, left + n, top + n))


rgb = Image.fromarray(photo(61, 47), "RGB")
rgb.save(os.path.join(out, "photo.png"))
save_npy("photo_resize32_crop32.npy", np.asarray(center_crop(resize_shorter(rgb, 32), 32)))
# The normalised CHW tensor exactly as ToTensor + Normalize compute it (float32 throughout).
mean = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
std = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
t = np.asarray(center_crop(resize_shorter(rgb, 32), 32)).astype(np.float32) / np.float32(255)
t = (t - mean) / std
np.save(os.path.join(out, "photo_clip32_chw.npy"), np.ascontiguousarray(t.transpose(2, 0, 1)))

small = Image.fromarray(photo(20, 13), "RGB")
small.save(os.path.join(out, "small.png"))
save_npy("small_resize_53x29.npy", np.asarray(small.resize((53, 29), Image.BICUBIC)))
save_npy("small_resize_7x13.npy", np.asarray(small.resize((7, 13), Image.BICUBIC)))

tall = Image.fromarray(photo(97, 203), "RGB")
tall.save(os.path.join(out, "tall.png"))
save_npy("tall_resize_shorter16.npy", np.asarray(resize_shorter(tall, 16)))

gray = Image.fromarray(photo(33, 21)[:, :, 1], "L")
gray.save(os.path.join(out, "gray.png"))
save_npy("gray_resize_shorter12.npy", np.asarray(resize_shorter(gray, 12))[:, :, None])
save_npy("photo_as_gray.npy", np.asarray(rgb.convert("L"))[:, :, None])

rgb.save(os.path.join(out, "photo.jpg"), quality=90)
save_npy("photo_jpg_decoded.npy", np.asarray(Image.open(os.path.join(out, "photo.jpg")).convert("RGB")))
gray.save(os.path.join(out, "gray.jpg"), quality=90)
save_npy("gray_jpg_decoded.npy", np.asarray(Image.open(os.path.join(out, "gray.jpg")))[:, :, None])

cmyk = Image.fromarray((rng.random((16, 24, 4)) * 255).astype(np.uint8), "CMYK")
cmyk.save(os.path.join(out, "cmyk.jpg"), quality=95)
save_npy("cmyk_decoded.npy", np.asarray(Image.open(os.path.join(out, "cmyk.jpg")).convert("RGB")))
save_npy("ycck_decoded.npy", np.asarray(Image.open(os.path.join(out, "ycck.jpg")).convert("RGB")))

pal = rgb.convert("P", palette=Image.ADAPTIVE, colors=16)
pal.save(os.path.join(out, "palette.png"))
save_npy("palette_decoded.npy", np.asarray(pal.convert("RGB")))
rgba = rgb.copy()
rgba.putalpha(Image.fromarray((np.arange(61 * 47) % 256).astype(np.uint8).reshape(47, 61), "L"))
rgba.save(os.path.join(out, "rgba.png"))

# Other JPEG encodings: progressive, and 4:4:4 (no chroma subsampling).
rgb.save(os.path.join(out, "photo_progressive.jpg"), quality=85, progressive=True)
save_npy("photo_progressive_decoded.npy",
         np.asarray(Image.open(os.path.join(out, "photo_progressive.jpg")).convert("RGB")))
rgb.save(os.path.join(out, "photo_444.jpg"), quality=95, subsampling=0)
save_npy("photo_444_decoded.npy", np.asarray(Image.open(os.path.join(out, "photo_444.jpg")).convert("RGB")))
