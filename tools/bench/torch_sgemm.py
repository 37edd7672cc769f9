#!/usr/bin/python3
"""PyTorch GFLOP/s for the SGEMM cases of bench/SgemmBenchmark: row-major fp32 C = op(A) op(B), where the layout
names the operands' storage: "nn" C = A B, "nt" C = A B^T with B stored n x k (as a Linear layer multiplies by its
out x in weight), "tn" and "tt" likewise with A stored k x m.

Run with Debian's interpreter (python3-torch 1.13):
    /usr/bin/python3 tools/bench/torch_sgemm.py [--threads 2] [--seconds 3] [--layout nn,nt] [--cpu-time]
Debian's torch 1.13 calls whatever libblas.so.3 the system provides (the reference BLAS unless an optimised
one is installed); docs/PERFORMANCE.md shows how to point it at OpenBLAS for a fair comparison. The BLAS gets
the same thread count as torch (OPENBLAS_NUM_THREADS is set before torch loads).

Default: wall-clock time; prints best and median milliseconds, and GFLOP/s from the median.
--cpu-time: GFLOP/s per CPU-second of the whole process (time.process_time over repetitions of at least 50 ms),
best and median; with --threads 1 this is what bench/SgemmCpuTime measures for the cpu backend, and it stays
meaningful when other processes share the machine.
"""
import argparse
import os
import statistics
import sys
import time

SHAPES = [  # (m, n, k, batch)
    (512, 512, 512, 1),
    (1024, 1024, 1024, 1),
    (2048, 2048, 2048, 1),
    (392, 2304, 768, 1),   # ViT-B/32 qkv projection, 8 images x 49 tokens
    (392, 768, 3072, 1),   # MLP down projection
    (392, 3072, 768, 1),   # MLP up projection
    (49, 49, 64, 12),      # attention scores per head, 12 heads
]


def operands(torch, m, n, k, batch, layout):
    a = torch.rand(batch, k, m).transpose(1, 2) if layout[0] == "t" else torch.rand(batch, m, k)
    b = torch.rand(batch, n, k).transpose(1, 2) if layout[1] == "t" else torch.rand(batch, k, n)
    c = torch.empty(batch, m, n)
    if batch > 1:
        return lambda: torch.bmm(a, b, out=c)
    a0, b0, c0 = a[0], b[0], c[0]
    return lambda: torch.mm(a0, b0, out=c0)


def measure_wall(mul, flops, seconds):
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < 5:
        t0 = time.perf_counter()
        mul()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    return f"{min(times) * 1e3:>9.3f} {med * 1e3:>9.3f} {flops / med / 1e9:>8.1f}"


def measure_cpu(mul, flops, seconds):
    rates = []
    start = time.process_time()
    while time.process_time() - start < seconds or len(rates) < 5:
        t0, done = time.process_time(), 0
        while True:
            mul()
            done += 1
            t = time.process_time() - t0
            if t >= 0.05:
                break
        rates.append(flops * done / t / 1e9)
    return f"{max(rates):>9.1f} {statistics.median(rates):>9.1f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per case")
    parser.add_argument("--layout", default="nn,nt", help="comma-separated: nn, nt, tn, tt")
    parser.add_argument("--cpu-time", action="store_true", help="GFLOP/s per CPU-second instead of wall time")
    args = parser.parse_args()
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    import torch
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"{'GFLOP/s per CPU-second' if args.cpu_time else 'wall time'}")
    head = f"{'best':>9} {'median':>9}" if args.cpu_time else f"{'best ms':>9} {'median ms':>9} {'GFLOP/s':>8}"
    print(f"{'m':>5} {'n':>5} {'k':>5} {'batch':>5} {'layout':>6} {head}")
    for layout in args.layout.split(","):
        for m, n, k, batch in SHAPES:
            mul = operands(torch, m, n, k, batch, layout)
            for _ in range(3):
                mul()
            flops = 2.0 * m * n * k * batch
            line = (measure_cpu if args.cpu_time else measure_wall)(mul, flops, args.seconds)
            print(f"{m:>5} {n:>5} {k:>5} {batch:>5} {layout:>6} {line}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
