#!/usr/bin/python3
"""faiss.Kmeans against unicom4j's KMeans from the same initial centroids (bench/.../KMeansVsFaiss.java).

    java ... org.unicom4j.bench.KMeansVsFaiss data=DIR k=1024 iterations=20 threads=2   # writes kmeans_*.npy
    /usr/bin/python3 tools/bench/faiss_kmeans_bench.py --data DIR --k 1024 --iterations 20 --threads 2

Runs faiss.Kmeans on base.npy from kmeans_init.npy (no subsampling: max_points_per_centroid is lifted), then
evaluates the final objective (sum of squared distances to the nearest centroid, summed in float64 over an
exact faiss.IndexFlatL2 search) of FAISS's centroids and of kmeans_unicom4j.npy with the same code.
"""
import argparse
import os
import time

import faiss
import numpy as np


def objective(x, centroids):
    index = faiss.IndexFlatL2(x.shape[1])
    index.add(np.ascontiguousarray(centroids, dtype=np.float32))
    d, _ = index.search(x, 1)
    return float(np.sum(d.astype(np.float64)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data', required=True)
    p.add_argument('--k', type=int, default=1024)
    p.add_argument('--iterations', type=int, default=20)
    p.add_argument('--threads', type=int, default=2)
    a = p.parse_args()
    faiss.omp_set_num_threads(a.threads)
    x = np.load(os.path.join(a.data, 'base.npy'))
    init = np.load(os.path.join(a.data, 'kmeans_init.npy'))
    assert init.shape == (a.k, x.shape[1]), f'kmeans_init.npy has shape {init.shape}, expected {(a.k, x.shape[1])}'
    km = faiss.Kmeans(x.shape[1], a.k, niter=a.iterations, max_points_per_centroid=1 << 30, verbose=False)
    t, c = time.perf_counter(), time.process_time()
    km.train(x, init_centroids=init)
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    ours = np.load(os.path.join(a.data, 'kmeans_unicom4j.npy'))
    f_obj, o_obj = objective(x, km.centroids), objective(x, ours)
    print(f'faiss {faiss.__version__} Kmeans: {x.shape[0]} x {x.shape[1]}, k = {a.k}, {a.iterations} iterations, '
          f'{a.threads} threads: {seconds:.2f} s, {seconds / a.iterations:.3f} s per iteration '
          f'(process CPU {cpu / a.iterations:.3f} s)')
    print(f'final objective (float64 sum over an exact assignment): faiss {f_obj:.6e}, unicom4j {o_obj:.6e}, '
          f'unicom4j / faiss = {o_obj / f_obj:.5f}; initial {objective(x, init):.6e}')


if __name__ == '__main__':
    main()
