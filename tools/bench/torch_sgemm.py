#!/usr/bin/python3
"""PyTorch reference GFLOP/s for the SGEMM shapes of bench/SgemmBenchmark (row-major C = A B, fp32).

Run with Debian's interpreter (python3-torch 1.13): /usr/bin/python3 tools/bench/torch_sgemm.py [--threads 2]
Prints one line per shape: m n k batch, best and median milliseconds, GFLOP/s from the median.
"""
import argparse
import statistics
import time

import torch

SHAPES = [  # (m, n, k, batch)
    (512, 512, 512, 1),
    (1024, 1024, 1024, 1),
    (2048, 2048, 2048, 1),
    (392, 2304, 768, 1),   # ViT-B/32 qkv projection, batch 8 x 49 tokens
    (392, 768, 3072, 1),   # MLP down projection
    (392, 3072, 768, 1),   # MLP up projection
    (49, 49, 64, 12),      # attention scores per head, 12 heads
]


def measure(m, n, k, batch, seconds):
    a = torch.rand(batch, m, k) * 2 - 1
    b = torch.rand(batch, k, n) * 2 - 1
    c = torch.empty(batch, m, n)
    mul = (lambda: torch.bmm(a, b, out=c)) if batch > 1 else (lambda: torch.mm(a[0], b[0], out=c[0]))
    for _ in range(3):
        mul()
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < 5:
        t0 = time.perf_counter()
        mul()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    flops = 2.0 * m * n * k * batch
    return min(times) * 1e3, med * 1e3, flops / med / 1e9


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per shape")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    print(f"{'m':>5} {'n':>5} {'k':>5} {'batch':>5} {'best ms':>9} {'median ms':>9} {'GFLOP/s':>8}")
    for m, n, k, batch in SHAPES:
        best, med, gflops = measure(m, n, k, batch, args.seconds)
        print(f"{m:>5} {n:>5} {k:>5} {batch:>5} {best:>9.3f} {med:>9.3f} {gflops:>8.1f}")


if __name__ == "__main__":
    main()
