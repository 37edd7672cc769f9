#!/usr/bin/python3
"""PyTorch side of the ViT-B/32 side-by-side benchmarks (bench/.../VitInferenceSideBySide, VitTrainingSideBySide).

Run with Debian's interpreter (python3-torch 1.13): /usr/bin/python3 tools/bench/vit_bench.py ...

  export --out DIR   A random-weight ViT-B/32 (tools/unicom_reference/vit.py, init_from_scratch plus random BatchNorm
                     running statistics), written as
                       weights_fp32.pt     torch.save of the float32 state dict (read by unicom4j's StateDictIo)
                       vit_b32.onnx        torch.onnx.export of the same model in eval mode, nothing folded by us
                                           (opset 14, dynamic batch axis; the exporter's own constant folding is on)
                       images.f32          --batch input images [B, 3, 224, 224], raw little-endian float32
                       torch_out.f32       PyTorch float32 eval output [B, 512] on those images (2 threads)
                       reference_out.f32   the same in float64 arithmetic, rounded to float32
                       meta.json           batch, shapes, torch version
  serve --dir DIR    Loads weights_fp32.pt and answers one command per stdin line, one reply line each:
                       infer   one eval forward of images.f32 under torch.inference_mode -> "wall_ns cpu_ns"
                       train   one train-mode forward + backward at --train-batch (loss = sum(out * R), fixed R,
                               gradients kept between steps and zeroed in place, as unicom4j's arena) -> same
                       memory  "peak_rss_kib rss_kib baseline_rss_kib": baseline = RSS after loading the model,
                               peak = VmHWM since then (reset through /proc/self/clear_refs)
                       quit
                     cpu_ns is the CPU time of this whole process (all OpenMP / OpenBLAS threads).
"""
import argparse
import gc
import json
import os
import resource
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from unicom_reference.vit import build  # noqa: E402

SEED = 3232


def status_kib(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1])
    return -1


def rss_kib():
    return status_kib("VmRSS:")


def reset_peak_rss():
    """Resets VmHWM to the current RSS (Linux >= 4.0), so the peak counts only what follows; False if refused."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss_kib(reset_done):
    # without the reset, getrusage's peak (kilobytes on Linux) includes loading the checkpoint
    return status_kib("VmHWM:") if reset_done else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def random_b32():
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    model = build("B32")
    with torch.no_grad():  # non-trivial running statistics, so the head's normalisation shows in a mismatch
        for name, b in model.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(0.1 * torch.randn(b.shape, generator=gen))
            elif name.endswith("running_var"):
                b.copy_(0.5 + torch.rand(b.shape, generator=gen))
    return model, gen


def export(args):
    os.makedirs(args.out, exist_ok=True)
    model, gen = random_b32()
    model.eval()
    state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    torch.save(state, os.path.join(args.out, "weights_fp32.pt"))
    images = torch.randn((args.batch, 3, 224, 224), generator=gen)
    images.numpy().astype("<f4").tofile(os.path.join(args.out, "images.f32"))
    with torch.inference_mode():
        out = model(images)
    out.numpy().astype("<f4").tofile(os.path.join(args.out, "torch_out.f32"))
    torch.onnx.export(model, images, os.path.join(args.out, "vit_b32.onnx"), opset_version=14,
                      input_names=["images"], output_names=["embedding"],
                      dynamic_axes={"images": {0: "batch"}, "embedding": {0: "batch"}})
    with torch.no_grad():
        ref = model.double()(images.double())
    ref.float().numpy().astype("<f4").tofile(os.path.join(args.out, "reference_out.f32"))
    meta = {"batch": args.batch, "imageShape": [3, 224, 224], "embedding": int(out.shape[1]),
            "torch": torch.__version__, "seed": SEED}
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    print("wrote", args.out, "max |torch fp32 - float64| =", float((out.double() - ref).abs().max()))


def serve(args):
    model = build("B32")
    model.load_state_dict(torch.load(os.path.join(args.dir, "weights_fp32.pt")))
    images = torch.from_numpy(np.fromfile(os.path.join(args.dir, "images.f32"), dtype="<f4")).reshape(-1, 3, 224, 224)
    gen = torch.Generator().manual_seed(SEED + 1)
    train_images = torch.randn((args.train_batch, 3, 224, 224), generator=gen)
    loss_weights = torch.randn((args.train_batch, model.feature[3].num_features), generator=gen)
    gc.collect()
    baseline = rss_kib()
    reset_done = reset_peak_rss()
    print("ready", torch.__version__, torch.get_num_threads(), flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "infer":
            model.eval()
            w0, c0 = time.perf_counter_ns(), time.process_time_ns()
            with torch.inference_mode():
                model(images)
            print(time.perf_counter_ns() - w0, time.process_time_ns() - c0, flush=True)
        elif cmd == "train":
            model.train()
            w0, c0 = time.perf_counter_ns(), time.process_time_ns()
            for p in model.parameters():
                if p.grad is not None:
                    p.grad.zero_()
            out = model(train_images)
            (out * loss_weights).sum().backward()
            print(time.perf_counter_ns() - w0, time.process_time_ns() - c0, flush=True)
        elif cmd == "memory":
            print(peak_rss_kib(reset_done), rss_kib(), baseline, flush=True)
        elif cmd == "quit":
            break
        else:
            print("error unknown command", cmd, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("export")
    p.add_argument("--out", required=True)
    p.add_argument("--batch", type=int, default=8)
    p = sub.add_parser("serve")
    p.add_argument("--dir", required=True)
    p.add_argument("--train-batch", type=int, default=32)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    export(args) if args.command == "export" else serve(args)


if __name__ == "__main__":
    main()
