"""Checks that the UniFEx demo's features cached from its assembled set (Fashion-MNIST's class groups written as PNG
files) are the features cached from the IDX files, row for row in the assembly's order: the assembly is lossless and
only reorders the rows (docs/RESULTS.md, "UniFEx: the multi-domain set").

Usage: /usr/bin/python3 tools/checks/assembled_cache_matches_idx.py FASHION_MNIST_DIR IDX_CACHE ASSEMBLED_CACHE
where each cache is a demo's OUT/unifex/cache folder (IDX_CACHE from a demo before the assembly, or `embed --idx`
into IDX_CACHE/{tokens,embedding}/{train,eval} with --output tokens / embedding).
"""
import gzip
import sys

import numpy as np

GROUPS = [[0, 2, 4, 6], [5, 7, 9], [1, 3, 8]]  # tops, footwear, rest: the demo's sources, in label order


def labels(path):
    with gzip.open(path) as f:
        return np.frombuffer(f.read()[8:], dtype=np.uint8)  # IDX header: magic, count


def main(data, idx_cache, assembled_cache):
    worst = 0.0
    for split, prefix in [("train", "train"), ("eval", "t10k")]:
        y = labels(f"{data}/{prefix}-labels-idx1-ubyte.gz")
        order = np.concatenate([np.nonzero(np.isin(y, g))[0] for g in GROUPS])
        for kind in ["tokens", "embedding"]:
            a = np.load(f"{idx_cache}/{kind}/{split}/embeddings.npy")
            b = np.load(f"{assembled_cache}/{kind}/{split}/embeddings.npy")
            diff = float(np.abs(a[order] - b).max())
            print(f"{split} {kind} {b.shape}: max |diff| = {diff}")
            worst = max(worst, diff)
    sys.exit(0 if worst == 0 else 1)


if __name__ == "__main__":
    main(*sys.argv[1:4])
