#!/usr/bin/python3
"""Writes the small checkpoint fixtures that org.unicom4j.model.checkpoint's tests read.

Run with Debian's interpreter (torch 1.13, numpy):  /usr/bin/python3 tools/make_checkpoint_fixtures.py
Output: model/src/test/resources/checkpoint/ (a few KB in all).

  /usr/bin/python3 tools/make_checkpoint_fixtures.py --synthetic-b32 DIR
writes DIR/FP16-ViT-B-32.pt instead: random weights with the released ViT-B/32 file's keys, order, shapes and
dtypes (spec section 2), 233 MB, for the large-file check (ReleasedWeightsTest with UNICOM4J_WEIGHTS=DIR).

Each fixture comes with <name>.expected.json: for every tensor its dtype, shape and values exactly as PyTorch
sees them, in row-major (logical) order, so the Java reader is compared with PyTorch's own reading:
  - floating dtypes: "f32_bits", the IEEE bits of each value converted to float32 by torch (fp16/bf16 widen
    exactly), plus "f64_bits" (hex strings) for float64;
  - integer and bool dtypes: "values" as JSON integers.
The safetensors fixture is written by hand (the `safetensors` package is not installed here): an 8-byte
little-endian header length, the JSON header, then the raw little-endian tensor bytes.
"""
import collections
import json
import os
import pickle
import struct
import sys
import zipfile

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model", "src", "test", "resources", "checkpoint")

DTYPE_NAMES = {
    torch.float16: "F16", torch.bfloat16: "BF16", torch.float32: "F32", torch.float64: "F64",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
    torch.bool: "BOOL",
}


def expected_entry(t):
    entry = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape)}
    flat = t.detach().reshape(-1)
    if t.dtype.is_floating_point:
        entry["f32_bits"] = [int(v) for v in flat.to(torch.float32).numpy().view(np.uint32)]
        if t.dtype == torch.float64:
            entry["f64_bits"] = ["%016x" % int(v) for v in flat.numpy().view(np.uint64)]
    else:
        entry["values"] = [int(v) for v in flat.to(torch.int64).tolist()]
    return entry


def write_expected(name, tensors, extra=None):
    doc = {"tensors": collections.OrderedDict((k, expected_entry(v)) for k, v in tensors.items())}
    if extra:
        doc.update(extra)
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def mixed_state_dict():
    """Every dtype a state dict holds, strided views, shared storage, and DataParallel's `module.` prefix."""
    g = torch.Generator().manual_seed(20230201)
    sd = collections.OrderedDict()
    sd["module.w32"] = torch.randn(3, 5, generator=g)
    # fp16 edge cases: signed zero, the largest normal, the smallest subnormal, infinities, NaN, rounding.
    specials = torch.tensor([0.0, -0.0, 65504.0, 2.0 ** -24, float("inf"), float("-inf"), float("nan"),
                             1.0 / 3.0, -2.5, 1e-5, 6.0, 1000.1], dtype=torch.float32)
    sd["module.w16"] = specials.to(torch.float16).reshape(4, 3)
    sd["module.wbf16"] = (torch.randn(2, 3, 2, generator=g) * 100).to(torch.bfloat16)
    sd["module.w64"] = torch.tensor([1.0 / 3.0, -1e300, 2.0 ** -1074], dtype=torch.float64)
    sd["module.num_batches_tracked"] = torch.tensor(12345678901234, dtype=torch.int64)  # a 0-d int64, > 2^32
    sd["module.i32"] = torch.tensor([-(2 ** 31), -1, 0, 2 ** 31 - 1], dtype=torch.int32)
    sd["module.u8"] = torch.tensor([0, 1, 127, 128, 255], dtype=torch.uint8)
    sd["module.mask"] = torch.tensor([True, False, True])
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) * 0.5 - 3.0
    sd["module.transposed"] = base.t()  # shape (6, 4), stride (1, 6): non-contiguous
    sd["module.sliced"] = base[1:3, 2:5]  # offset 8, stride (6, 1)
    shared = torch.randn(10, generator=g).to(torch.float16)
    sd["module.shared_full"] = shared  # the two entries share one storage (one data/<key> file)
    sd["module.shared_tail"] = shared[4:].view(3, 2)
    sd["module.every_other"] = shared[::2]  # stride 2
    sd["module.empty"] = torch.zeros(0, 4)
    sd["module.scalar32"] = torch.tensor(-7.25)
    # What nn.Module.state_dict() attaches: pickled through BUILD on the OrderedDict.
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("bn", {"version": 2})])
    return sd


def nested_checkpoint():
    """A training checkpoint: the weights one level down, behind torch.compile's and a wrapper's prefixes."""
    g = torch.Generator().manual_seed(7)
    inner = collections.OrderedDict()
    inner["_orig_mod.model.patch_embed.proj.weight"] = torch.randn(4, 3, 2, 2, generator=g)
    inner["_orig_mod.model.patch_embed.proj.bias"] = torch.randn(4, generator=g)
    inner["_orig_mod.model.feature.1.num_batches_tracked"] = torch.tensor(3)
    outer = {
        "epoch": 3, "lr": 1e-3, "name": "run-\u00e9\u4e2d", "flags": [True, False, None],
        "big": 2 ** 70, "negative": -5, "pair": (1, "two"), "state_dict": inner,
    }
    return outer, inner


def plain_pickle_object():
    """What a ground-truth file such as revisitop's gnd_roxford5k.pkl holds: dicts, lists, strings, numbers."""
    return {
        "imlist": ["all_souls_000013", "all_souls_000026", "oxford_003410"],
        "qimlist": ["all_souls_000013"],
        "gnd": [
            {"bbx": [136.5, 34.5, 648.5, 955.5], "easy": [0, 2, 70000], "hard": [], "junk": [1]},
            {"bbx": [0.0, -1.25, 1e-7, 1e300], "easy": [], "hard": [5, 6], "junk": []},
        ],
        "counts": (1, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31, 2 ** 63 - 1, -(2 ** 63), 2 ** 64, -(2 ** 100)),
        "flags": [True, False, None],
        "unicode": "Oxford \u00e9\u00e8 \u4e2d\u6587 \U0001F600",
        "bytes": b"\x00\x01\xfe\xff",
        "empty": {},
    }


def plain_pickle_expected(obj):
    """The same object as JSON: tuples become lists, bytes a list of unsigned ints, big ints decimal strings."""
    def conv(v):
        if isinstance(v, bool) or v is None:
            return v
        if isinstance(v, int):
            return v if -(2 ** 63) <= v < 2 ** 63 else {"bigint": str(v)}
        if isinstance(v, float):
            return {"float_bits": "%016x" % struct.unpack("<Q", struct.pack("<d", v))[0]}
        if isinstance(v, bytes):
            return {"bytes": list(v)}
        if isinstance(v, (list, tuple)):
            return [conv(x) for x in v]
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        return v
    return conv(obj)


def write_safetensors(path, tensors, metadata):
    """The safetensors layout, by hand: u64 LE header size, JSON header (space-padded to 8), raw LE data."""
    header = collections.OrderedDict()
    if metadata:
        header["__metadata__"] = metadata
    blobs, offset = [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def rezip_deflated(src, dst):
    """The same archive with every entry DEFLATE-compressed: torch.save never does this, other tools might."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)  # reproducible: no "now" timestamps
            copy.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(copy, zin.read(info.filename))


def synthetic_b32(directory):
    """A torch.save of a state dict laid out as FP16-ViT-B-32.pt is, with random values."""
    n, d, depth, emb, patch = 49, 768, 12, 512, 32
    g = torch.Generator().manual_seed(32)
    shapes = [("pos_embed", (1, n, d)), ("patch_embed.proj.weight", (d, 3, patch, patch)), ("patch_embed.proj.bias", (d,))]
    for i in range(depth):
        b = "blocks.%d." % i
        shapes += [(b + "norm1.weight", (d,)), (b + "norm1.bias", (d,)), (b + "norm2.weight", (d,)), (b + "norm2.bias", (d,)),
                   (b + "attn.qkv.weight", (3 * d, d)), (b + "attn.proj.weight", (d, d)), (b + "attn.proj.bias", (d,)),
                   (b + "mlp.fc1.weight", (4 * d, d)), (b + "mlp.fc1.bias", (4 * d,)),
                   (b + "mlp.fc2.weight", (d, 4 * d)), (b + "mlp.fc2.bias", (d,))]
    shapes += [("norm.weight", (d,)), ("norm.bias", (d,)), ("feature.0.weight", (d, n * d))]
    shapes += [("feature.1." + k, (d,)) for k in ("weight", "bias", "running_mean", "running_var")]
    shapes += [("feature.1.num_batches_tracked", ()), ("feature.2.weight", (emb, d))]
    shapes += [("feature.3." + k, (emb,)) for k in ("weight", "bias", "running_mean", "running_var")]
    shapes += [("feature.3.num_batches_tracked", ())]
    sd = collections.OrderedDict()
    for name, shape in shapes:
        if name.endswith("num_batches_tracked"):
            sd[name] = torch.tensor(123456, dtype=torch.int64)
        else:
            sd[name] = (torch.randn(shape, generator=g) * 0.02).to(torch.float16)
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "FP16-ViT-B-32.pt")
    torch.save(sd, path)
    print("wrote", path, len(sd), "tensors")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--synthetic-b32":
        synthetic_b32(sys.argv[2])
        return
    assert torch.__version__.startswith("1.13"), "fixtures are pinned to torch 1.13: " + torch.__version__
    os.makedirs(OUT, exist_ok=True)

    sd = mixed_state_dict()
    mixed = os.path.join(OUT, "mixed.pt")
    torch.save(sd, mixed)
    write_expected("mixed", sd, {"metadata_keys": list(sd._metadata.keys())})
    # Check that torch itself reads back what the expectations say (sharing survives the round trip).
    back = torch.load(mixed)
    assert back["module.shared_tail"].storage().data_ptr() == back["module.shared_full"].storage().data_ptr()

    rezip_deflated(mixed, os.path.join(OUT, "mixed_deflated.pt"))
    with open(mixed, "rb") as f:
        data = f.read()
    with open(os.path.join(OUT, "mixed_truncated.pt"), "wb") as f:
        f.write(data[: len(data) * 6 // 10])  # cut inside the storages: no central directory left

    outer, inner = nested_checkpoint()
    torch.save(outer, os.path.join(OUT, "nested.pt"))
    write_expected("nested", inner, {"epoch": 3, "lr": 1e-3})

    obj = plain_pickle_object()
    for protocol in (0, 1, 2, 4, 5):
        with open(os.path.join(OUT, "plain_p%d.pkl" % protocol), "wb") as f:
            pickle.dump(obj, f, protocol=protocol)
    with open(os.path.join(OUT, "plain.expected.json"), "w") as f:
        json.dump(plain_pickle_expected(obj), f, indent=1, ensure_ascii=True)
        f.write("\n")

    arrays = collections.OrderedDict([
        ("f32", np.arange(6, dtype=np.float32).reshape(2, 3) / 7),
        ("f16", np.array([1.5, -0.0, 65504], dtype=np.float16)),
        ("i64", np.array([[1, -2], [3, 2 ** 40]], dtype=np.int64)),
        ("f64_scalar", np.float64(0.1)),
        ("fortran", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3))),
    ])
    for protocol in (2, 4, 5):
        with open(os.path.join(OUT, "numpy_p%d.pkl" % protocol), "wb") as f:
            pickle.dump(arrays, f, protocol=protocol)
    write_expected("numpy", collections.OrderedDict((k, torch.from_numpy(np.ascontiguousarray(v)) if isinstance(v, np.ndarray)
                                                     else torch.tensor(v, dtype=torch.float64)) for k, v in arrays.items()))

    hand = collections.OrderedDict([
        ("a.f16", torch.tensor([[1.0, -2.0, 0.5]], dtype=torch.float16)),
        ("a.bf16", torch.tensor([3.140625, -1e20, 0.0], dtype=torch.bfloat16)),
        ("a.f32", torch.arange(4, dtype=torch.float32).reshape(2, 2) / 3),
        ("a.f64", torch.tensor([2.0 ** 0.5], dtype=torch.float64)),
        ("a.i64", torch.tensor(9007199254740993, dtype=torch.int64)),
        ("a.i32", torch.tensor([1, -1], dtype=torch.int32)),
        ("a.u8", torch.tensor([7, 250], dtype=torch.uint8)),
        ("a.bool", torch.tensor([False, True])),
    ])
    write_safetensors(os.path.join(OUT, "handwritten.safetensors"), hand, {"format": "pt", "source": "handwritten"})
    write_expected("handwritten", hand)
    print("wrote fixtures to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
