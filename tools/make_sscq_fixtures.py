#!/usr/bin/python3
"""Golden values for SSCQ (spec sscq.md), computed by PyTorch autograd in float64. Run with Debian's interpreter
(python3-torch 1.13):

    /usr/bin/python3 tools/make_sscq_fixtures.py training/src/test/resources/sscq

A batch of B = 64 images in two views (2B = 128 rows; the views of image i in rows 2i and 2i + 1, the training
engine's layout), M = 8 codebooks of K = 16 codewords of d = 16 floats (32-bit codes), written as float32 .npy
(int32 for codes) to OUT/:

  quantiser: f [2B, M*d], codebooks [M, K, d]; soft_p [2B, M, K] and z [2B, M*d] (temperature 0.2), codes
             [2B, M]; cos_p [2B, M, K] (softmax of cosines); z_weights [2B, M*d] and cos_weights [2B, M, K], and
             the gradients of sum(z * z_weights) (z_df, z_dc) and of sum(cos_p * cos_weights) (cos_df, cos_dc)
  losses:    for each term T in icf, icz, cc, pn, cd and for the weighted total: T_loss [1], T_df [2B, M*d] and
             T_dc [M, K, d], the gradient of the term with respect to f and to the codebooks (through z = the soft
             quantiser of f)
  head:      x [2B, E] (the encoder's output, E = 24), w1 [H, E], b1 [H], w2 [M*d, H], b2 [M*d] (H = 40),
             head_f = Linear-ReLU-Linear(x), head_loss (the total) and its gradients head_dx, head_dw1, head_db1,
             head_dw2, head_db2, head_dc
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

B, M, K, D_SUB = 64, 8, 16, 16
N = 2 * B
QUANTISER_T = 0.2
NT_XENT_T = 0.5
CONSISTENCY_T = 0.2
NEIGHBOURS, NEIGHBOUR_T = 20, 0.5
DIVERSITY_EPS = 1e-5
WEIGHTS = {"icz": 1.0, "icf": 1.0, "cc": 0.4, "pn": 0.1, "cd": 0.2}


def soft_quantise(f, c):
    """p = softmax_k(-||f^m - c^m_k||^2 / t), z^m = sum_k p_k c^m_k."""
    sub = f.view(-1, M, 1, D_SUB)
    dist = ((sub - c.unsqueeze(0)) ** 2).sum(-1)
    p = torch.softmax(-dist / QUANTISER_T, dim=-1)
    z = (p.unsqueeze(-1) * c.unsqueeze(0)).sum(2).reshape(-1, M * D_SUB)
    return p, z, dist.argmin(-1)


def cosine_assignments(f, c):
    fn = F.normalize(f.view(-1, M, D_SUB), dim=-1, eps=1e-12)
    cn = F.normalize(c, dim=-1, eps=1e-12)
    return torch.softmax(torch.einsum("nmd,mkd->nmk", fn, cn), dim=-1)


def nt_xent(x):
    xn = F.normalize(x, dim=1, eps=1e-12)
    s = xn @ xn.t() / NT_XENT_T
    s = s.masked_fill(torch.eye(len(x), dtype=torch.bool), float("-inf"))
    partner = torch.arange(len(x)) ^ 1
    return F.cross_entropy(s, partner)


def shared_columns(n):
    """For pair i (rows 2i, 2i + 1): every column but those two, [n/2, n-2]."""
    return torch.tensor([[j for j in range(n) if j not in (2 * i, 2 * i + 1)] for i in range(n // 2)])


def consistency(u):
    un = F.normalize(u, dim=1, eps=1e-12)
    s = un @ un.t()
    cols = shared_columns(len(u))
    log_p = torch.log_softmax(s[0::2].gather(1, cols) / CONSISTENCY_T, dim=1)
    log_q = torch.log_softmax(s[1::2].gather(1, cols) / CONSISTENCY_T, dim=1)
    kl_pq = (log_p.exp() * (log_p - log_q)).sum(1)
    kl_qp = (log_q.exp() * (log_q - log_p)).sum(1)
    return ((kl_pq + kl_qp) / 2).mean()


def neighbours(z):
    n = len(z)
    others = torch.tensor([[j for j in range(n) if j != i] for i in range(n)])
    total = 0
    for m in range(M):
        zm = F.normalize(z[:, m * D_SUB:(m + 1) * D_SUB], dim=1, eps=1e-12)
        s = (zm @ zm.t()).gather(1, others) / NEIGHBOUR_T
        top = s.topk(NEIGHBOURS, dim=1).values
        total = total + (torch.logsumexp(s, dim=1) - torch.logsumexp(top, dim=1)).mean()
    return total / M


def diversity(f, c):
    pbar = cosine_assignments(f, c).mean(0)
    return (pbar * torch.log(pbar + DIVERSITY_EPS)).sum() / M


def terms(f, c):
    _, z, _ = soft_quantise(f, c)
    return {"icz": nt_xent(z), "icf": nt_xent(f), "cc": consistency(f + z), "pn": neighbours(z),
            "cd": diversity(f, c)}


def total(f, c):
    t = terms(f, c)
    return sum(WEIGHTS[k] * t[k] for k in WEIGHTS)


def grad(fn, *inputs):
    leaves = [x.clone().requires_grad_(True) for x in inputs]
    value = fn(*leaves)
    value.backward()
    return value.detach(), [torch.zeros_like(x) if x.grad is None else x.grad for x in leaves]


def views(g, rows, dim, scale):
    """Two views per image: a shared part plus a smaller per-view part, so positives are closer than negatives."""
    images = torch.randn(rows // 2, dim, generator=g, dtype=torch.float64)
    return (images.repeat_interleave(2, dim=0) + 0.5 * torch.randn(rows, dim, generator=g, dtype=torch.float64)) * scale


def main(out):
    os.makedirs(out, exist_ok=True)
    g = torch.Generator().manual_seed(2206)
    f = views(g, N, M * D_SUB, 0.25)
    c = 0.3 * torch.randn(M, K, D_SUB, generator=g, dtype=torch.float64)
    arrays = {"f": f, "codebooks": c}
    p, z, codes = soft_quantise(f, c)
    arrays.update(soft_p=p, z=z, codes=codes, cos_p=cosine_assignments(f, c))
    z_weights = torch.randn(N, M * D_SUB, generator=g, dtype=torch.float64)
    cos_weights = torch.randn(N, M, K, generator=g, dtype=torch.float64)
    _, (arrays["z_df"], arrays["z_dc"]) = grad(lambda a, b: (soft_quantise(a, b)[1] * z_weights).sum(), f, c)
    _, (arrays["cos_df"], arrays["cos_dc"]) = grad(lambda a, b: (cosine_assignments(a, b) * cos_weights).sum(), f, c)
    arrays.update(z_weights=z_weights, cos_weights=cos_weights)
    for name in list(WEIGHTS) + ["total"]:
        fn = total if name == "total" else (lambda a, b, key=name: terms(a, b)[key])
        value, (df, dc) = grad(fn, f, c)
        arrays[name + "_loss"] = value.reshape(1)
        arrays[name + "_df"] = df
        arrays[name + "_dc"] = dc
    # the projection head in front of the quantiser
    emb, hidden = 24, 40
    x = views(g, N, emb, 1.0)
    w1 = torch.randn(hidden, emb, generator=g, dtype=torch.float64) / emb ** 0.5
    b1 = 0.1 * torch.randn(hidden, generator=g, dtype=torch.float64)
    w2 = 0.5 * torch.randn(M * D_SUB, hidden, generator=g, dtype=torch.float64) / hidden ** 0.5
    b2 = 0.1 * torch.randn(M * D_SUB, generator=g, dtype=torch.float64)

    def head(xx, a1, c1, a2, c2):
        return F.linear(F.relu(F.linear(xx, a1, c1)), a2, c2)

    arrays.update(x=x, w1=w1, b1=b1, w2=w2, b2=b2, head_f=head(x, w1, b1, w2, b2))
    value, grads = grad(lambda xx, a1, c1, a2, c2, cc: total(head(xx, a1, c1, a2, c2), cc), x, w1, b1, w2, b2, c)
    arrays["head_loss"] = value.reshape(1)
    for key, gr in zip(["head_dx", "head_dw1", "head_db1", "head_dw2", "head_db2", "head_dc"], grads):
        arrays[key] = gr
    for key, value in arrays.items():
        v = value.detach().numpy()
        v = v.astype(np.int32) if v.dtype == np.int64 else v.astype(np.float32)
        np.save(os.path.join(out, key + ".npy"), v)
    print("wrote", len(arrays), "arrays to", out, "; losses:",
          {k: float(arrays[k + "_loss"]) for k in list(WEIGHTS) + ["total"]})


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "training/src/test/resources/sscq")
