"""Builds the PyTorch golden fixtures for org.unicom4j.model.vit (run with /usr/bin/python3, torch 1.13).

Default: a small Unicom ViT with random weights (LayerNorm/BatchNorm affine parameters and BN running statistics
randomised too) written to model/src/test/resources/vit/small/:
  config.json                  the VitConfig (Jackson field names)
  weights_fp32.pt, weights_fp16.pt   torch.save of the state dict, float32 and the released float16 format
  weights/<key>.npy            the same float32 tensors (num_batches_tracked as int64)
  images.npy                   inputs [B, C, H, W]
  eval_out.npy                 eval-mode output [B, emb] (running statistics)
  eval_out_fp16_weights.npy    eval-mode output of the float16-rounded weights
  train_out.npy                train-mode output (batch statistics, drop path 0)
  train_running/<key>.npy      BN running statistics after that one training forward
  loss_weights.npy             R [B, emb]; the scalar loss is sum(train_out * R)
  grad/<key>.npy               d loss / d parameter for every parameter
  resized/<key>.npy            pos_embed and feature.0.weight after changing the grid to --resize-grid
Every reference value is computed in float64 from the float32 (or float16) weights.

--full-b32 DIR: a full-size random ViT-B/32 in the released format (FP16-ViT-B-32.pt) plus images.npy and
eval_out.npy (float64 maths on the float16 weights) for a manual check; not committed (about 230 MB).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__))))
from unicom_reference.vit import UnicomViT, build, resize_for_grid  # noqa: E402

SMALL = dict(image_size=24, channels=3, patch=8, width=48, depth=2, heads=3, mlp_hidden=192, embedding=24,
             drop_path_rate=0.0)
BATCH = 6


def config_json(c):
    return {"imageSize": c["image_size"], "channels": c["channels"], "patch": c["patch"], "width": c["width"],
            "depth": c["depth"], "heads": c["heads"], "mlpHidden": c["mlp_hidden"], "embedding": c["embedding"],
            "dropPathRate": c["drop_path_rate"]}


def randomise(model, gen):
    """Weights at a scale where activations stay O(1) (so ReLU6 clamps on both sides, softmax is not one-hot),
    and non-trivial norms and running statistics, so a swapped or ignored parameter shows."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm1.weight") or name.endswith("norm2.weight") or name == "norm.weight" \
                    or (name.startswith("feature.") and name.endswith(".weight") and p.dim() == 1):
                p.copy_(1.0 + 0.3 * torch.randn(p.shape, generator=gen))
            elif name.endswith(".bias"):
                p.copy_(0.2 * torch.randn(p.shape, generator=gen))
            elif name == "pos_embed":
                p.copy_(0.5 * torch.randn(p.shape, generator=gen))
            else:
                fan_in = p[0].numel()
                gain = 3.0 if name.endswith("fc1.weight") else 1.5  # fc1 wider so ReLU6 also clamps at 6
                p.copy_(torch.randn(p.shape, generator=gen) * (gain / fan_in ** 0.5))
        for name, b in model.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(0.3 * torch.randn(b.shape, generator=gen))
            elif name.endswith("running_var"):
                b.copy_(0.5 + torch.rand(b.shape, generator=gen))
            elif name.endswith("num_batches_tracked"):
                b.fill_(7)


def save_npy(path, array):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, np.array(array, order="C"))  # permuted tensors would otherwise be saved in Fortran order


def small(out_dir, resize_grid):
    gen = torch.Generator().manual_seed(20230301)
    model = UnicomViT(**SMALL)
    randomise(model, gen)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config_json(SMALL), f, indent=2)
    torch.save(state, os.path.join(out_dir, "weights_fp32.pt"))
    torch.save({k: (v.half() if v.is_floating_point() else v) for k, v in state.items()},
               os.path.join(out_dir, "weights_fp16.pt"))
    for k, v in state.items():
        save_npy(os.path.join(out_dir, "weights", k + ".npy"), v.numpy())

    c = SMALL
    images = torch.randn((BATCH, c["channels"], c["image_size"], c["image_size"]), generator=gen)
    loss_weights = torch.randn((BATCH, c["embedding"]), generator=gen)
    save_npy(os.path.join(out_dir, "images.npy"), images.numpy())
    save_npy(os.path.join(out_dir, "loss_weights.npy"), loss_weights.numpy())

    model = model.double()
    model.eval()
    with torch.no_grad():
        save_npy(os.path.join(out_dir, "eval_out.npy"), model(images.double()).float().numpy())

    fp16 = UnicomViT(**SMALL).double()
    fp16.load_state_dict({k: (v.half().double() if v.is_floating_point() else v) for k, v in state.items()})
    fp16.eval()
    with torch.no_grad():
        save_npy(os.path.join(out_dir, "eval_out_fp16_weights.npy"), fp16(images.double()).float().numpy())

    model.train()
    model.zero_grad()
    out = model(images.double())
    (out * loss_weights.double()).sum().backward()
    save_npy(os.path.join(out_dir, "train_out.npy"), out.detach().float().numpy())
    for k, b in model.named_buffers():
        save_npy(os.path.join(out_dir, "train_running", k + ".npy"),
                 b.float().numpy() if b.is_floating_point() else b.numpy())
    for k, p in model.named_parameters():
        save_npy(os.path.join(out_dir, "grad", k + ".npy"), p.grad.float().numpy())

    g = c["image_size"] // c["patch"]
    resized = resize_for_grid({k: v.double() for k, v in state.items()}, resize_grid)
    print(f"resized grid {g} -> {resize_grid}")
    for k in ("pos_embed", "feature.0.weight"):
        save_npy(os.path.join(out_dir, "resized", k + ".npy"), resized[k].float().numpy())


def full_b32(out_dir):
    gen = torch.Generator().manual_seed(32)
    torch.manual_seed(32)
    model = build("B32")  # init_from_scratch, then random norms and statistics
    with torch.no_grad():
        for name, b in model.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(0.1 * torch.randn(b.shape, generator=gen))
            elif name.endswith("running_var"):
                b.copy_(0.5 + torch.rand(b.shape, generator=gen))
    state = {k: (v.half() if v.is_floating_point() else v) for k, v in model.state_dict().items()}
    os.makedirs(out_dir, exist_ok=True)
    torch.save(state, os.path.join(out_dir, "FP16-ViT-B-32.pt"))
    model = model.double()
    model.load_state_dict({k: (v.double() if v.is_floating_point() else v) for k, v in state.items()})
    model.eval()
    images = torch.randn((4, 3, 224, 224), generator=gen)
    np.save(os.path.join(out_dir, "images.npy"), images.numpy())
    with torch.no_grad():
        np.save(os.path.join(out_dir, "eval_out.npy"), model(images.double()).float().numpy())
    print("wrote", out_dir)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(root, "model/src/test/resources/vit/small"))
    parser.add_argument("--resize-grid", type=int, default=4)
    parser.add_argument("--full-b32", metavar="DIR", help="write a full-size random ViT-B/32 (fp16) here instead")
    args = parser.parse_args()
    torch.set_num_threads(2)
    if args.full_b32:
        full_b32(args.full_b32)
    else:
        small(args.out, args.resize_grid)


if __name__ == "__main__":
    main()
