#!/usr/bin/python3
"""Golden values for the sampled-prototype margin softmax (spec unicom.md section 3), computed by PyTorch
autograd for fixed class and dimension indices. Run with Debian's interpreter (python3-torch 1.13):

    /usr/bin/python3 tools/make_loss_fixture.py training/src/test/resources/loss

Writes .npy files: e [B,De], w [C,De], labels [B], class_idx [Cs], dim_idx [d'], and for ArcFace and CosFace
the loss and the gradients dE [B,De] and dW [C,De] (zero outside the sampled rows/dims).
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F


def margin_softmax_loss(e, w, labels, class_idx, dim_idx, s, m2, m3):
    """Gather, normalise after selection, clamp, margin on the target without gradient, cross-entropy."""
    remap = {int(c): j for j, c in enumerate(class_idx.tolist())}
    y = torch.tensor([remap[int(t)] for t in labels.tolist()])
    ee = F.normalize(e[:, dim_idx], dim=1, eps=1e-12)
    ww = F.normalize(w[class_idx][:, dim_idx], dim=1, eps=1e-12)
    cos = (ee @ ww.t()).clamp(-1, 1)
    rows = torch.arange(len(y))
    with torch.no_grad():  # the reference applies the margin outside autograd (straight-through)
        target = cos[rows, y]
        if m3 > 0:
            shifted = target - m3
        else:
            shifted = torch.cos(torch.acos(target) + m2)
        delta = shifted - target
    logits = cos.clone()
    logits[rows, y] = logits[rows, y] + delta
    logits = logits * s
    p = torch.softmax(logits, dim=1)
    return -torch.log(p[rows, y].clamp_min(1e-30)).mean()


def main(out):
    os.makedirs(out, exist_ok=True)
    g = torch.Generator().manual_seed(1234)
    batch, classes, emb, dims = 12, 40, 24, 17
    e = torch.randn(batch, emb, generator=g, dtype=torch.float64)
    w = torch.randn(classes, emb, generator=g, dtype=torch.float64) * 0.01
    labels = torch.tensor([3, 17, 3, 39, 0, 22, 17, 5, 5, 31, 3, 8])  # duplicate labels on purpose
    negatives = torch.tensor([1, 9, 12, 26, 34, 35])
    class_idx = torch.sort(torch.unique(torch.cat([labels, negatives]))).values
    dim_idx = torch.sort(torch.randperm(emb, generator=g)[:dims]).values
    arrays = {"e": e, "w": w, "labels": labels, "class_idx": class_idx, "dim_idx": dim_idx}
    for name, s, m2, m3 in [("arcface", 32.0, 0.3, 0.0), ("cosface", 32.0, 0.0, 0.35)]:
        ev = e.clone().requires_grad_(True)
        wv = w.clone().requires_grad_(True)
        loss = margin_softmax_loss(ev, wv, labels, class_idx, dim_idx, s, m2, m3)
        loss.backward()
        arrays[name + "_loss"] = loss.detach().reshape(1)
        arrays[name + "_de"] = ev.grad
        arrays[name + "_dw"] = wv.grad
    for key, value in arrays.items():
        v = value.numpy()
        v = v.astype(np.int32) if v.dtype == np.int64 else v.astype(np.float32)
        np.save(os.path.join(out, key + ".npy"), v)
    print("wrote", len(arrays), "arrays to", out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "training/src/test/resources/loss")
