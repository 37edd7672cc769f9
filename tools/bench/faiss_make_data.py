#!/usr/bin/python3
"""Synthetic embeddings shared by the Java and FAISS index / k-means benchmarks.

Run with Debian's interpreter (python3-faiss 1.7.3, numpy):
    /usr/bin/python3 tools/bench/faiss_make_data.py --out target/ann-bench --n 100000 --dim 128
Writes to --out: base.npy [n, dim] and queries.npy [nq, dim] (float32, L2-normalised) and gt.npy [nq, 100]
(int64, exact inner-product ranking from faiss.IndexFlatIP, ties to the lower id). Each point is one of
`clusters` Gaussian centres plus noise in that cluster's own random low-rank subspace plus a little isotropic
noise, then normalised, so neighbourhoods have the low intrinsic dimension of real embeddings (isotropic blobs
would make every neighbour in a blob nearly equidistant, which no quantiser can rank).
"""
import argparse
import os

import faiss
import numpy as np


def make(rng, rows, centres, bases, spread, iso):
    clusters, latent, dim = bases.shape
    which = rng.integers(0, clusters, rows)
    z = rng.standard_normal((rows, latent)).astype(np.float32)
    x = centres[which] + spread * np.einsum('nl,nld->nd', z, bases[which]) / np.sqrt(latent)
    x += iso * rng.standard_normal((rows, dim)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return np.ascontiguousarray(x, dtype=np.float32)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--out', required=True)
    p.add_argument('--n', type=int, default=100000)
    p.add_argument('--dim', type=int, default=128)
    p.add_argument('--queries', type=int, default=1000)
    p.add_argument('--clusters', type=int, default=1000)
    p.add_argument('--latent', type=int, default=16)
    p.add_argument('--seed', type=int, default=1234)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    centres = rng.standard_normal((a.clusters, a.dim)).astype(np.float32)
    bases = rng.standard_normal((a.clusters, a.latent, a.dim)).astype(np.float32)
    os.makedirs(a.out, exist_ok=True)
    base = np.concatenate([make(rng, min(10000, a.n - i), centres, bases, 1.0, 0.1)
                           for i in range(0, a.n, 10000)])
    queries = make(rng, a.queries, centres, bases, 1.0, 0.1)
    index = faiss.IndexFlatIP(a.dim)
    index.add(base)
    _, gt = index.search(queries, 100)
    np.save(os.path.join(a.out, 'base.npy'), base)
    np.save(os.path.join(a.out, 'queries.npy'), queries)
    np.save(os.path.join(a.out, 'gt.npy'), gt.astype(np.int64))
    print(f'wrote {a.out}: base {base.shape}, queries {queries.shape}, gt {gt.shape}')


if __name__ == '__main__':
    main()
