#!/usr/bin/python3
"""Golden values for the margin-loss family (spec unicom.md section 3, unifex.md; docs/TRAINING.md has the
table), computed by PyTorch autograd in float64, each loss written as its paper's official code writes it.
Run with Debian's interpreter (python3-torch 1.13):

    /usr/bin/python3 tools/make_loss_fixture.py training/src/test/resources/loss \
        kernels/src/test/resources/margin_softmax.txt

1. The sampled path (first folder): e [B,De], w [C,De], w3 [3C,De] (sub-centres: rows c*3..c*3+2 are class c's),
   labels [B], class_idx [Cs], dim_idx [d'], counts [C] (class counts for per-class margins), and per loss
   NAME_loss [1], NAME_de [B,De], NAME_dw [C,De] (zero outside the sampled rows/dims), and for the losses with
   running statistics NAME_state0 (before the step) and NAME_state (after it).
2. The margin softmax alone (a text file, one array per line: name, then the values; the kernels module reads no
   .npy): cos [B,C] (targets placed in the fallback and easy-margin regions, some cosines beyond AdaFace's clamp),
   labels [B], and per case NAME_loss [1], NAME_dcos [B,C] and, for the cases with per-row margins,
   NAME_row_margins [B,2] (angular, additive).
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F


# ---- the target logit of each variant, on a cosine matrix, as the official code writes it ----

def arcface_target(target, m, easy=False):
    """insightface arcface_torch ArcFace: cos(theta + m) with the fallback (or the easy margin). m may be a
    per-row tensor (the adaptive-margin code of the Google Landmark 2020 solutions)."""
    m = torch.as_tensor(m, dtype=target.dtype)
    sin = torch.sqrt((1.0 - target ** 2).clamp(0, 1))
    cos_theta_m = target * torch.cos(m) - sin * torch.sin(m)
    if easy:
        return torch.where(target > 0, cos_theta_m, target)
    return torch.where(target > torch.cos(math.pi - m), cos_theta_m, target - torch.sin(math.pi - m) * m)


def with_target(cos, y, final, s, straight_through=False):
    """Logits s*cos with the target replaced; straight-through keeps the target's value but passes its gradient
    as if it were cos_y (the Unicom reference's no_grad margin)."""
    rows = torch.arange(len(y))
    target = cos[rows, y]
    if straight_through:
        final = target + (final - target).detach()
    logits = cos.clone()
    logits[rows, y] = final
    return logits * s


def li_arcface(cos, y, s, m):
    """AirFace (Li-ArcFace): (pi - 2(theta + m)) / pi at the target, (pi - 2 theta) / pi elsewhere."""
    rows = torch.arange(len(y))
    theta = torch.acos(cos)
    margin = torch.zeros_like(cos)
    margin[rows, y] = m
    return s * (math.pi - 2 * (theta + margin)) / math.pi


def curricular_face(cos, y, s, m, t):
    """HuangYG123/CurricularFace head, t already updated for this batch."""
    rows = torch.arange(len(y))
    cos_theta = cos.clone()
    target_logit = cos_theta[rows, y].view(-1, 1)
    sin_theta = torch.sqrt(1.0 - target_logit ** 2)
    cos_theta_m = target_logit * math.cos(m) - sin_theta * math.sin(m)
    mask = cos_theta > cos_theta_m
    final_target_logit = torch.where(target_logit > math.cos(math.pi - m), cos_theta_m,
                                     target_logit - math.sin(math.pi - m) * m)
    hard_example = cos_theta[mask]
    cos_theta[mask] = hard_example * (t + hard_example)
    cos_theta.scatter_(1, y.view(-1, 1), final_target_logit)
    return cos_theta * s


def curricular_t(cos, y, t):
    with torch.no_grad():
        return cos[torch.arange(len(y)), y].mean() * 0.01 + (1 - 0.01) * t


def adaface_margins(norms, m, h, alpha, mean0, std0, eps=1e-3):
    """mk-minchul/AdaFace head: the running norm statistics and each row's (g_angular, g_additive)."""
    safe = torch.clip(norms, min=0.001, max=100).detach()
    mean = safe.mean() * alpha + (1 - alpha) * mean0
    std = safe.std() * alpha + (1 - alpha) * std0
    scaler = torch.clip((safe - mean) / (std + eps) * h, -1, 1)
    return -m * scaler, m + m * scaler, mean, std


def adaface(cos, y, s, g_angular, g_additive, eps=1e-3):
    rows = torch.arange(len(y))
    cosine = cos.clamp(-1 + eps, 1 - eps)
    m_arc = torch.zeros_like(cosine)
    m_arc[rows, y] = g_angular
    theta_m = torch.clip(torch.acos(cosine) + m_arc, min=eps, max=math.pi - eps)
    cosine = torch.cos(theta_m)
    m_cos = torch.zeros_like(cosine)
    m_cos[rows, y] = g_additive
    return (cosine - m_cos) * s


def adacos_scale(cos, y, s):
    """4uiiurz1/pytorch-adacos: the scale for this batch from the previous one."""
    with torch.no_grad():
        one_hot = torch.zeros_like(cos)
        one_hot[torch.arange(len(y)), y] = 1
        theta = torch.acos(torch.clamp(cos, -1.0 + 1e-7, 1.0 - 1e-7))
        b_avg = torch.where(one_hot < 1, torch.exp(s * cos), torch.zeros_like(cos)).sum() / cos.shape[0]
        theta_med = torch.median(theta[one_hot == 1])
        return torch.log(b_avg) / torch.cos(torch.min(math.pi / 4 * torch.ones_like(theta_med), theta_med))


def dynamic_margins(counts, m_min, m_max):
    """m_c = m_min + (m_max - m_min)(1 + cos(pi nhat_c)) / 2 with nhat the min-max normalised count of the classes
    that have images (spec unifex.md); every class gets m_max when all counts are equal."""
    present = counts[counts > 0].astype(np.float64)
    lo, hi = present.min(), present.max()
    nhat = np.zeros(len(counts)) if hi == lo else np.clip((counts - lo) / (hi - lo), 0, 1)
    return m_min + (m_max - m_min) * (1 + np.cos(np.pi * nhat)) / 2


def cross_entropy(logits, y):
    """-log max(p_y, 1e-30), with the gradient of -log p_y everywhere: the Unicom reference's cross-entropy
    (partial_fc DistCrossEntropy) clamps p_y in its forward and returns softmax - onehot from its backward."""
    nll = -torch.log_softmax(logits, dim=1)[torch.arange(len(y)), y]
    capped = nll.clamp_max(-math.log(1e-30))
    return (nll + (capped - nll).detach()).mean()


# ---- 1. the sampled path ----

def sampled_cosines(e, w, rows, dim_idx):
    ee = F.normalize(e[:, dim_idx], dim=1, eps=1e-12)
    ww = F.normalize(w[rows][:, dim_idx], dim=1, eps=1e-12)
    return (ee @ ww.t()).clamp(-1, 1)


def sampled_path(out):
    g = torch.Generator().manual_seed(1234)
    batch, classes, emb, dims = 12, 40, 24, 17
    e = torch.randn(batch, emb, generator=g, dtype=torch.float64)
    w = torch.randn(classes, emb, generator=g, dtype=torch.float64) * 0.01
    labels = torch.tensor([3, 17, 3, 39, 0, 22, 17, 5, 5, 31, 3, 8])  # duplicate labels on purpose
    negatives = torch.tensor([1, 9, 12, 26, 34, 35])
    class_idx = torch.sort(torch.unique(torch.cat([labels, negatives]))).values
    dim_idx = torch.sort(torch.randperm(emb, generator=g)[:dims]).values
    w3 = torch.randn(3 * classes, emb, generator=g, dtype=torch.float64) * 0.01
    counts = torch.randint(1, 50, (classes,), generator=g).numpy().astype(np.int32)
    e = e * torch.linspace(0.5, 2.0, batch, dtype=torch.float64).view(-1, 1)  # norms that differ (AdaFace)
    all_classes, all_dims = torch.arange(classes), torch.arange(emb)
    arrays = {"e": e, "w": w, "w3": w3, "labels": labels, "class_idx": class_idx, "dim_idx": dim_idx,
              "counts": torch.from_numpy(counts)}
    remap = {int(c): j for j, c in enumerate(class_idx.tolist())}
    y = torch.tensor([remap[int(t)] for t in labels.tolist()])
    margins = torch.from_numpy(dynamic_margins(counts, 0.2, 0.5))

    def run(name, weights, rows, dims_used, logits_of, state0=None, state_of=None, targets=y):
        ev = e.clone().requires_grad_(True)
        wv = weights.clone().requires_grad_(True)
        cos = sampled_cosines(ev, wv, rows, dims_used)
        loss = cross_entropy(logits_of(cos, ev), targets)
        loss.backward()
        arrays[name + "_loss"] = loss.detach().reshape(1)
        arrays[name + "_de"] = ev.grad
        arrays[name + "_dw"] = wv.grad
        if state0 is not None:
            arrays[name + "_state0"] = torch.tensor(state0, dtype=torch.float64)
            arrays[name + "_state"] = torch.tensor(state_of(cos.detach(), ev.detach()), dtype=torch.float64)

    run("arcface", w, class_idx, dim_idx, lambda c, _: with_target(
        c, y, arcface_target(c[torch.arange(batch), y], 0.3), 32.0, straight_through=True))
    run("cosface", w, class_idx, dim_idx, lambda c, _: with_target(c, y, c[torch.arange(batch), y] - 0.35, 32.0,
                                                                     straight_through=True))
    run("arcface_exact", w, class_idx, dim_idx, lambda c, _: with_target(
        c, y, arcface_target(c[torch.arange(batch), y], 0.5), 30.0))
    sub_rows = (class_idx.view(-1, 1) * 3 + torch.arange(3)).reshape(-1)

    def sub_centre(c, _):
        pooled = c.view(batch, -1, 3).max(dim=2).values
        return with_target(pooled, y, arcface_target(pooled[torch.arange(batch), y], 0.5), 30.0)
    run("subcenter", w3, sub_rows, dim_idx, sub_centre)
    run("dynamic", w, class_idx, dim_idx, lambda c, _: with_target(
        c, y, arcface_target(c[torch.arange(batch), y], margins[labels]), 30.0))
    run("li_arcface", w, class_idx, dim_idx, lambda c, _: li_arcface(c, y, 64.0, 0.45))
    t0 = 0.1
    run("curricular", w, class_idx, dim_idx,
        lambda c, _: curricular_face(c, y, 64.0, 0.5, curricular_t(c, y, t0)), [t0],
        lambda c, _: [float(curricular_t(c, y, t0))])
    s0 = math.sqrt(2) * math.log(classes - 1)
    run("adacos", w, all_classes, dim_idx, lambda c, _: adacos_scale(c, labels, s0) * c, [s0],
        lambda c, _: [float(adacos_scale(c, labels, s0))], targets=labels)
    m, h, alpha, mean0, std0 = 0.4, 0.333, 0.3, 3.0, 1.5

    def ada(c, ev):
        g_ang, g_add, _, _ = adaface_margins(ev.norm(dim=1), m, h, alpha, mean0, std0)
        return adaface(c, y, 64.0, g_ang, g_add)

    def ada_state(c, ev):
        _, _, mean, std = adaface_margins(ev.norm(dim=1), m, h, alpha, mean0, std0)
        return [float(mean), float(std)]
    run("adaface", w, class_idx, all_dims, ada, [mean0, std0], ada_state)
    save(out, arrays)


# ---- 2. the margin softmax alone ----

def margin_softmax(out):
    g = torch.Generator().manual_seed(99)
    batch, cols = 9, 13
    cos = (torch.rand(batch, cols, generator=g, dtype=torch.float64) * 2 - 1) * 0.98
    labels = torch.randint(0, cols, (batch,), generator=g)
    rows = torch.arange(batch)
    cos[0, labels[0]] = -0.95  # theta + 0.5 > pi: the fallback
    cos[1, labels[1]] = -0.3  # the easy margin's region
    cos[2, 5] = 0.9995  # beyond AdaFace's clamp at 1 - 1e-3
    cos[3, labels[3]] = -0.9995
    cos = cos.float().double()  # the values the kernels see
    norms = torch.linspace(0.5, 6.0, batch, dtype=torch.float64)
    g_ang, g_add, _, _ = adaface_margins(norms, 0.4, 0.333, 1.0, 0.0, 0.0)
    per_row = torch.linspace(0.2, 0.5, batch, dtype=torch.float64)
    arrays = {"cos": cos, "labels": labels}
    cases = {
        "arcface_st": (lambda c: with_target(c, labels, arcface_target(c[rows, labels], 0.5), 32.0, True), None),
        "arcface_exact": (lambda c: with_target(c, labels, arcface_target(c[rows, labels], 0.5), 32.0), None),
        "arcface_easy": (lambda c: with_target(c, labels, arcface_target(c[rows, labels], 0.5, easy=True), 30.0),
                         None),
        "combined": (lambda c: with_target(c, labels, arcface_target(c[rows, labels], 0.2) - 0.1, 16.0, True), None),
        "li_arcface": (lambda c: li_arcface(c, labels, 64.0, 0.45), None),
        "curricular": (lambda c: curricular_face(c, labels, 64.0, 0.5, 0.3), None),
        "adaface": (lambda c: adaface(c, labels, 64.0, g_ang, g_add), torch.stack([g_ang, g_add], dim=1)),
        "dynamic": (lambda c: with_target(c, labels, arcface_target(c[rows, labels], per_row), 30.0),
                    torch.stack([per_row, torch.zeros(batch, dtype=torch.float64)], dim=1)),
    }
    for name, (logits_of, row_margins) in cases.items():
        cv = cos.clone().requires_grad_(True)
        loss = cross_entropy(logits_of(cv), labels)
        loss.backward()
        arrays[name + "_loss"] = loss.detach().reshape(1)
        arrays[name + "_dcos"] = cv.grad
        if row_margins is not None:
            arrays[name + "_row_margins"] = row_margins
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write("# tools/make_loss_fixture.py: name, then the values (float32 printed exactly, row-major)\n")
        f.write("shape %d %d\n" % (batch, cols))
        for key, value in arrays.items():
            v = value.detach().numpy().reshape(-1)
            text = [str(int(x)) for x in v] if key == "labels" else [repr(float(np.float32(x))) for x in v]
            f.write(key + " " + " ".join(text) + "\n")
    print("wrote", len(arrays), "arrays to", out)


def save(out, arrays):
    os.makedirs(out, exist_ok=True)
    for key, value in arrays.items():
        v = value.numpy() if isinstance(value, torch.Tensor) else value
        v = v.astype(np.int32) if v.dtype in (np.int64, np.int32) else v.astype(np.float32)
        np.save(os.path.join(out, key + ".npy"), v)
    print("wrote", len(arrays), "arrays to", out)


if __name__ == "__main__":
    sampled_path(sys.argv[1] if len(sys.argv) > 1 else "training/src/test/resources/loss")
    margin_softmax(sys.argv[2] if len(sys.argv) > 2 else "kernels/src/test/resources/margin_softmax.txt")
