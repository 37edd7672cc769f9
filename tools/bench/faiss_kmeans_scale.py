#!/usr/bin/python3
"""faiss.Kmeans on a feature file from given initial centroids: seconds and CPU seconds per iteration, objectives.

The FAISS column of docs/SCALE.md (2M x 128, k = 10,000), next to `unicom4j cluster` (--engine jvm and spark):
    /usr/bin/python3 tools/bench/faiss_kmeans_scale.py --base target/scale/base.npy \
        --init target/scale/init/centroids.npy --iterations 3 --threads 2
where init/centroids.npy is `unicom4j cluster ... --iterations 0` (the seeded random sample both engines start
from). FAISS's objective of iteration t is that of its assignment to the centroids after t updates, as the
`k-means pass t` lines of unicom4j.
"""
import argparse
import time

import faiss
import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--base', required=True)
    p.add_argument('--init', required=True)
    p.add_argument('--iterations', type=int, default=3)
    p.add_argument('--threads', type=int, default=2)
    a = p.parse_args()
    faiss.omp_set_num_threads(a.threads)
    x = np.load(a.base, mmap_mode='r')
    x = np.ascontiguousarray(x, dtype=np.float32)
    init = np.ascontiguousarray(np.load(a.init), dtype=np.float32)
    k, d = init.shape
    # niter + 1 assignments (FAISS assigns before each update), the same count as unicom4j's passes 0..iterations
    km = faiss.Kmeans(d, k, niter=a.iterations + 1, max_points_per_centroid=1 << 30, verbose=False)
    t, c = time.perf_counter(), time.process_time()
    km.train(x, init_centroids=init)
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    passes = a.iterations + 1
    print(f'faiss {faiss.__version__} Kmeans: {x.shape[0]} x {d}, k = {k}, {passes} assignment passes, '
          f'{a.threads} threads: {seconds:.1f} s, {seconds / passes:.1f} s per pass, '
          f'process CPU {cpu / passes:.1f} s per pass')
    print('objective per pass: ' + ', '.join(f'{o:.6e}' for o in km.obj))


if __name__ == '__main__':
    main()
