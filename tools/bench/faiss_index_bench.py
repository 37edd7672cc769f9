#!/usr/bin/python3
"""FAISS side of the index benchmark (Java side: bench/.../IndexVsFaiss.java), on the files of faiss_make_data.py.

    /usr/bin/python3 tools/bench/faiss_index_bench.py --data target/ann-bench --threads 2 --m 8,16 --nbits 4,8

Prints one markdown row per index: build seconds, queries/s (all queries in one search call, best of --repeats),
process CPU milliseconds per query (all threads; the cheapest run: steadier than wall time on a shared machine),
recall@10 = mean |top-10 ∩ exact top-10| / 10 against gt.npy. Training sets and iteration counts match the Java
side: PQ and IVF-PQ train on the first --train rows, every k-means runs 25 iterations. PQ runs for each M in --m
and each code size in --nbits: IndexPQ (nbits 8 or 4, the scalar table scan) and, for nbits 4, IndexPQFastScan
(lookup tables quantised to bytes and scanned with SIMD byte shuffles, blocks of 32 codes), whose recall is that
of its byte tables (no re-ranking). IVF-PQ uses the first M of --m with 8-bit codes.
"""
import argparse
import os
import time

import faiss
import numpy as np


def recall_at_10(found, gt):
    return float(np.mean([len(set(f[:10]) & set(g[:10])) / 10 for f, g in zip(found, gt)]))


def timed_search(index, queries, k, repeats):
    """Queries/s from the fastest of `repeats` runs, process CPU ms per query from the cheapest, and the ids."""
    wall, cpu, ids = float('inf'), float('inf'), None
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        _, ids = index.search(queries, k)
        wall, cpu = min(wall, time.perf_counter() - t), min(cpu, time.process_time() - c)
    return (len(queries) / wall, 1000 * cpu / len(queries)), ids


def row(name, build, speed, recall):
    qps, cpu_ms = speed
    print(f'| faiss {faiss.__version__} | {name} | {build:.1f} | {qps:,.0f} | {cpu_ms:.3f} | {recall:.3f} |',
          flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data', required=True)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--m', default='16', help='PQ subspaces, comma-separated list')
    p.add_argument('--nbits', default='8', help='bits per PQ code (4 or 8), comma-separated list')
    p.add_argument('--nlist', type=int, default=1024)
    p.add_argument('--nprobe', default='1,8,32')
    p.add_argument('--ef', default='10,40,100', help='HNSW efSearch values')
    p.add_argument('--train', type=int, default=65536)
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--skip', default='', help='comma-separated: pq, ivf, hnsw')
    a = p.parse_args()
    faiss.omp_set_num_threads(a.threads)
    base = np.load(os.path.join(a.data, 'base.npy'))
    queries = np.load(os.path.join(a.data, 'queries.npy'))
    gt = np.load(os.path.join(a.data, 'gt.npy'))
    n, d = base.shape
    train = base[:a.train]
    print(f'{n} x {d} base, {len(queries)} queries, {a.threads} threads')
    print('| library | index | build s | queries/s | CPU ms / query | recall@10 |')
    print('|---|---|---|---|---|---|')

    t = time.perf_counter()
    flat = faiss.IndexFlatIP(d)
    flat.add(base)
    build = time.perf_counter() - t
    qps, ids = timed_search(flat, queries, 10, a.repeats)
    row('IndexFlatIP', build, qps, recall_at_10(ids, gt))

    skip = set(a.skip.split(','))
    if 'pq' not in skip:
        run_pq(a, d, base, train, queries, gt)
    if 'ivf' not in skip:
        run_ivf(a, d, base, train, queries, gt)
    if 'hnsw' not in skip:
        run_hnsw(a, d, base, queries, gt)


def run_pq(a, d, base, train, queries, gt):
    for m in map(int, a.m.split(',')):
        for nbits in map(int, a.nbits.split(',')):
            t = time.perf_counter()
            pq = faiss.IndexPQ(d, m, nbits, faiss.METRIC_L2)
            pq.pq.cp.niter = 25
            pq.train(train)
            pq.add(base)
            build = time.perf_counter() - t
            qps, ids = timed_search(pq, queries, 10, a.repeats)
            row(f'IndexPQ M={m} x {nbits} bit (ADC)', build, qps, recall_at_10(ids, gt))
            if nbits == 4:
                # the same codebooks, codes repacked into fast-scan blocks
                t = time.perf_counter()
                fast = faiss.IndexPQFastScan(pq)
                build_fast = build + time.perf_counter() - t
                qps, ids = timed_search(fast, queries, 10, a.repeats)
                row(f'IndexPQFastScan M={m} x 4 bit', build_fast, qps, recall_at_10(ids, gt))


def run_ivf(a, d, base, train, queries, gt):
    t = time.perf_counter()
    m = int(a.m.split(',')[0])
    ivf = faiss.IndexIVFPQ(faiss.IndexFlatL2(d), d, a.nlist, m, 8)
    ivf.cp.niter = 25
    ivf.pq.cp.niter = 25
    ivf.train(train)
    ivf.add(base)
    build = time.perf_counter() - t
    for nprobe in map(int, a.nprobe.split(',')):
        ivf.nprobe = nprobe
        qps, ids = timed_search(ivf, queries, 10, a.repeats)
        row(f'IndexIVFPQ nlist={a.nlist} M={m} nprobe={nprobe}', build, qps, recall_at_10(ids, gt))


def run_hnsw(a, d, base, queries, gt):
    t = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(d, 16, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 100
    hnsw.add(base)
    build = time.perf_counter() - t
    for ef in map(int, a.ef.split(',')):
        hnsw.hnsw.efSearch = ef
        qps, ids = timed_search(hnsw, queries, 10, a.repeats)
        row(f'IndexHNSWFlat M=16 efC=100 efSearch={ef}', build, qps, recall_at_10(ids, gt))


if __name__ == '__main__':
    main()
