#!/usr/bin/python3
"""Golden values for the SSCQ two-view augmentation's pixel operations (data.augment.ContrastiveViews), computed
by torchvision's functional ops on float tensors. Run with Debian's interpreter (torch 1.13, torchvision):

    /usr/bin/python3 tools/make_augment_fixtures.py data/src/test/resources/augment

Writes float32 .npy: rgb [3, 12, 12] in [0, 1] and a gray plane [1, 12, 12]; blur_rgb (kernel 3, sigma 0.7),
blur_gray (kernel 5, sigma 1.6), brightness (1.3), contrast (0.7), saturation (1.25), hue (0.08), hue_negative
(-0.1), grayscale (3 output channels).
"""
import os
import sys

import numpy as np
import torch
import torchvision.transforms.functional as F


def main(out):
    os.makedirs(out, exist_ok=True)
    g = torch.Generator().manual_seed(601)
    rgb = torch.rand(3, 12, 12, generator=g)
    gray = torch.rand(1, 12, 12, generator=g)
    arrays = {
        "rgb": rgb, "gray": gray,
        "blur_rgb": F.gaussian_blur(rgb, [3, 3], [0.7, 0.7]),
        "blur_gray": F.gaussian_blur(gray, [5, 5], [1.6, 1.6]),
        "brightness": F.adjust_brightness(rgb, 1.3),
        "contrast": F.adjust_contrast(rgb, 0.7),
        "saturation": F.adjust_saturation(rgb, 1.25),
        "hue": F.adjust_hue(rgb, 0.08),
        "hue_negative": F.adjust_hue(rgb, -0.1),
        "grayscale": F.rgb_to_grayscale(rgb, num_output_channels=3),
    }
    for key, value in arrays.items():
        np.save(os.path.join(out, key + ".npy"), value.numpy().astype(np.float32))
    print("wrote", len(arrays), "arrays to", out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/src/test/resources/augment")
