#!/usr/bin/python3
"""FAISS side of the SSCQ issue's baseline (a) (Java side: bench/.../FashionMnistPqBaseline.java).

    /usr/bin/python3 tools/bench/faiss_hashing_baseline.py --dir /usr/share/datasets/fashion-mnist [--full-train]

Fashion-MNIST pixels / 255, L2-normalised; faiss.IndexPQ(784, M, 4) (K = 16, 25 k-means iterations) trained on
the 60,000 training images, which are the database (as codes); the 10,000 test images query it (asymmetric squared
L2). Prints mAP@1000 in the hashing convention (AP over the top 1000 = (1/R_K) sum_j rel_j * hits_j / j, 0 when
none is relevant) for M = 4, 8, 16 and for the float pixels (IndexFlatL2). FAISS's k-means trains on at most 256
points per centroid (4,096 of the 60,000 at K = 16) unless --full-train lifts that limit.
"""
import argparse
import gzip
import os

import faiss
import numpy as np


def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def pixels(path):
    x = idx(path).reshape(-1, 784).astype(np.float32) / 255
    return np.ascontiguousarray(x / np.linalg.norm(x, axis=1, keepdims=True))


def map_at(ids, query_labels, db_labels):
    rel = db_labels[ids] == query_labels[:, None]
    hits = np.cumsum(rel, axis=1)
    ranks = np.arange(1, ids.shape[1] + 1)
    found = rel.sum(axis=1)
    ap = np.where(found > 0, (rel * hits / ranks).sum(axis=1) / np.maximum(found, 1), 0)
    return float(ap.mean())


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--dir', default='/usr/share/datasets/fashion-mnist')
    p.add_argument('--m', default='4,8,16')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--full-train', action='store_true', help='k-means on all 60,000 training images')
    a = p.parse_args()
    faiss.omp_set_num_threads(a.threads)
    base = pixels(os.path.join(a.dir, 'train-images-idx3-ubyte.gz'))
    queries = pixels(os.path.join(a.dir, 't10k-images-idx3-ubyte.gz'))
    db_labels = idx(os.path.join(a.dir, 'train-labels-idx1-ubyte.gz')).astype(np.int64)
    q_labels = idx(os.path.join(a.dir, 't10k-labels-idx1-ubyte.gz')).astype(np.int64)
    for m in map(int, a.m.split(',')):
        index = faiss.IndexPQ(784, m, 4)
        index.pq.cp.niter = 25
        if a.full_train:
            index.pq.cp.max_points_per_centroid = 1 << 30
        index.train(base)
        index.add(base)
        _, ids = index.search(queries, 1000)
        print(f'PQ {4 * m} bits (M={m}, K=16), faiss {faiss.__version__}: mAP@1000 '
              f'{map_at(ids, q_labels, db_labels):.4f}', flush=True)
    flat = faiss.IndexFlatL2(784)
    flat.add(base)
    _, ids = flat.search(queries, 1000)
    print(f'float pixels, squared L2: mAP@1000 {map_at(ids, q_labels, db_labels):.4f}')


if __name__ == '__main__':
    main()
