"""Builds the PyTorch golden fixtures for org.unicom4j.model.encoder (run with /usr/bin/python3, torch 1.13; no
transformers needed: tools/hf_reference/vision_towers.py mirrors Hugging Face's CLIP and SigLIP vision towers).

model/src/test/resources/encoder/
  released_layouts.json    state_dict() key -> shape of each released vision tower at full size (PyTorch modules
                           with HF's key names), and its parameter count, with and without CLIP's projection
  full/<name>/             full-width, reduced-depth towers whose weights are too large to commit: the weights are
                           a counter-based hash of (seed, key, element index) that the Java test regenerates
                           (hashed.json: seed and, per key, shape, offset and scale), then writes as a safetensors
                           file under the same keys; config.json (HF format), images.npy and expected.npy (float64
                           forward of the float32 weights)
  small/<name>/            narrow towers as complete Hugging Face directories: config.json, safetensors in fp32,
                           fp16 or bf16, single or sharded with model.safetensors.index.json, extra keys of the full
                           CLIPModel / SiglipModel (text tower, logit_scale, position_ids buffers) that a vision
                           loader must skip; images.npy and expected.npy (float64 forward of the rounded weights)
cli/src/test/resources/fixtures/hf-clip/, hf-siglip/
  tiny Hugging Face directories (CLIPVisionModelWithProjection fp32, SiglipVisionModel fp16) with
  preprocessor_config.json, and expected.npy: the embeddings of fixtures/images/*/*.png (ImageFolder order) through
  the HF preprocessing mirror below and the float64 tower, for `embed --weights DIR`
data/src/test/resources/hf-preprocessing/
  photo.png and the CLIPImageProcessor / SiglipImageProcessor outputs for it (PIL bicubic resize, HF's centre
  crop with floor division, rescale in float64 then float32, normalise in float32), as in transformers'
  image_transforms.py
"""
import glob
import json
import math
import os
import struct
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hf_reference.vision_towers import (CLIP_DEFAULTS, RELEASED, SIGLIP_DEFAULTS, ClipVisionModel,  # noqa: E402
                                        ClipVisionModelWithProjection, SiglipVisionModel)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENCODER = os.path.join(ROOT, "model/src/test/resources/encoder")
PREPROCESSING = os.path.join(ROOT, "data/src/test/resources/hf-preprocessing")
CLI_FIXTURES = os.path.join(ROOT, "cli/src/test/resources/fixtures")

MASK = (1 << 64) - 1
GOLDEN, MIX1, MIX2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}
OPENAI_CLIP_MEAN, OPENAI_CLIP_STD = [0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711]


def fnv1a(text):
    h = 0xcbf29ce484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001b3) & MASK
    return h


def hashed(seed, key, shape, offset, scale):
    """offset + scale * (2u - 1), u = the top 24 bits of SplitMix64's mix of (fnv1a(key) ^ seed) + i * golden,
    i = 1..n, rounded to float32: what the Java test's HashedWeights computes."""
    n = int(np.prod(shape)) if shape else 1
    with np.errstate(over="ignore"):
        z = np.uint64((fnv1a(key) ^ seed) & MASK) + np.arange(1, n + 1, dtype=np.uint64) * np.uint64(GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(MIX2)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(40)).astype(np.float64) / float(1 << 24)
    return torch.from_numpy((offset + scale * (2.0 * u - 1.0)).astype(np.float32).reshape(shape))


def value_range(key, shape):
    """(offset, scale) per key: activations stay O(1) through the blocks, so nothing saturates or vanishes."""
    if key.endswith("norm1.weight") or key.endswith("norm2.weight") or key.endswith("layernorm.weight") \
            or key.endswith("layrnorm.weight"):
        return 1.0, 0.3
    if key.endswith("bias"):
        return 0.0, 0.2
    if key.endswith("class_embedding") or key.endswith("position_embedding.weight"):
        return 0.0, 0.5
    if key.endswith("probe"):
        return 0.0, 1.0
    fan_in = int(np.prod(shape[1:]))
    gain = 1.5 if key.endswith("fc1.weight") else 1.0
    return 0.0, math.sqrt(3.0) * gain / math.sqrt(fan_in)


def randomise(model, seed):
    spec = {}
    state = {}
    for key, t in model.state_dict().items():
        offset, scale = value_range(key, list(t.shape))
        spec[key] = {"shape": list(t.shape), "offset": offset, "scale": scale}
        state[key] = hashed(seed, key, list(t.shape), offset, scale)
    model.load_state_dict(state)
    return spec, state


def save_npy(path, array):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, np.ascontiguousarray(array))


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def write_safetensors(path, tensors, metadata=None):
    """The safetensors layout (u64 header length, JSON header padded with spaces to 8 bytes, raw little-endian
    data), written by hand because the safetensors package is not installed here."""
    header, blobs, offset = {}, [], 0
    for key, t in tensors.items():
        t = t.contiguous()
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[key] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape),
                       "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def forward64(model, state, images):
    model = model.double()
    model.load_state_dict({k: v.double() for k, v in state.items()})
    model.eval()
    with torch.no_grad():
        return model(images.double()).numpy()


def images_for(c, seed, batch=2):
    gen = torch.Generator().manual_seed(seed)
    return 4.0 * torch.rand((batch, c["num_channels"], c["image_size"], c["image_size"]), generator=gen) - 2.0


def released_layouts():
    out = {}
    for name, (family, c) in RELEASED.items():
        if family == "clip":
            tower = ClipVisionModel(c)
            with_projection = ClipVisionModelWithProjection(c)
            entry = {"family": family, "config": c, "parameters": count(tower),
                     "parameters_with_projection": count(with_projection),
                     "keys": {k: list(v.shape) for k, v in with_projection.state_dict().items()}}
        else:
            tower = SiglipVisionModel(c)
            entry = {"family": family, "config": c, "parameters": count(tower),
                     "keys": {k: list(v.shape) for k, v in tower.state_dict().items()}}
        print(f"{name}: {entry['parameters']:,} parameters"
              + (f", {entry['parameters_with_projection']:,} with the projection" if family == "clip" else ""))
        out[name] = entry
        del tower
    write_json(os.path.join(ENCODER, "released_layouts.json"), out)


def count(model):
    return sum(p.numel() for p in model.parameters())


def full_width(name, model_type, architecture, c, module, seed):
    out = os.path.join(ENCODER, "full", name)
    model = module(c)
    spec, state = randomise(model, seed)
    write_json(os.path.join(out, "config.json"), dict(c, architectures=[architecture], model_type=model_type))
    write_json(os.path.join(out, "hashed.json"), {"seed": seed, "tensors": spec})
    images = images_for(c, seed)
    save_npy(os.path.join(out, "images.npy"), images.numpy())
    save_npy(os.path.join(out, "expected.npy"), forward64(model, state, images))
    print("wrote", out)


def small_clip_model(seed):
    """A CLIPModel directory: nested config, fp16 weights with the text tower, logit_scale and position_ids."""
    out = os.path.join(ENCODER, "small", "clip-model-fp16")
    vision = dict(hidden_size=64, intermediate_size=176, num_hidden_layers=2, num_attention_heads=4, image_size=32,
                  patch_size=8, projection_dim=24)  # the rest from CLIPVisionConfig's defaults
    c = dict(CLIP_DEFAULTS, **vision)
    model = ClipVisionModelWithProjection(c)
    _, state = randomise(model, seed)
    state = {k: v.half() for k, v in state.items()}
    tokens = (c["image_size"] // c["patch_size"]) ** 2 + 1
    extra = {"text_model.embeddings.token_embedding.weight": torch.randn(11, 16).half(),
             "text_model.final_layer_norm.weight": torch.ones(16).half(),
             "text_projection.weight": torch.randn(24, 16).half(),
             "logit_scale": torch.tensor(2.6592).half(),
             "vision_model.embeddings.position_ids": torch.arange(tokens).unsqueeze(0),
             "text_model.embeddings.position_ids": torch.arange(7).unsqueeze(0)}
    write_safetensors(os.path.join(out, "model.safetensors"), dict(extra, **state), {"format": "pt"})
    config = {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 24,
              "text_config": {"hidden_size": 16, "model_type": "clip_text_model"},
              "vision_config": dict(vision, model_type="clip_vision_model")}
    del config["vision_config"]["projection_dim"]  # CLIPModel's projection_dim is the top-level one
    write_json(os.path.join(out, "config.json"), config)
    write_json(os.path.join(out, "preprocessor_config.json"), clip_processor(32))
    finish_small(out, model, state, c, seed)


def small_clip_vision(seed):
    """A CLIPVisionModel directory: flat config, fp32 weights (safetensors and pytorch_model.bin), no projection,
    no preprocessor config."""
    out = os.path.join(ENCODER, "small", "clip-vision-fp32")
    c = dict(CLIP_DEFAULTS, hidden_size=48, intermediate_size=96, num_hidden_layers=1, num_attention_heads=3,
             image_size=28, patch_size=7)
    model = ClipVisionModel(c)
    _, state = randomise(model, seed)
    write_safetensors(os.path.join(out, "model.safetensors"), state)
    torch.save(state, os.path.join(out, "pytorch_model.bin"))  # the older format, same tensors
    config = {k: c[k] for k in ("hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
                                "image_size", "patch_size")}
    write_json(os.path.join(out, "config.json"), dict(config, architectures=["CLIPVisionModel"],
                                                      model_type="clip_vision_model"))
    finish_small(out, model, state, c, seed)


def small_siglip_model(seed):
    """A SiglipModel directory: nested config, bf16 weights in two shards with an index, an image size that is
    not a multiple of the patch (the Conv2d's valid padding drops the last pixels)."""
    out = os.path.join(ENCODER, "small", "siglip-model-bf16-sharded")
    vision = dict(hidden_size=72, intermediate_size=200, num_hidden_layers=2, num_attention_heads=4, image_size=30,
                  patch_size=7)
    c = dict(SIGLIP_DEFAULTS, **vision)
    model = SiglipVisionModel(c)
    _, state = randomise(model, seed)
    state = {k: v.to(torch.bfloat16) for k, v in state.items()}
    extra = {"text_model.embeddings.token_embedding.weight": torch.randn(11, 16).to(torch.bfloat16),
             "text_model.head.weight": torch.randn(16, 16).to(torch.bfloat16),
             "logit_scale": torch.tensor([2.0]).to(torch.bfloat16), "logit_bias": torch.tensor([-10.0])
             .to(torch.bfloat16)}
    everything = dict(extra, **state)
    keys = list(everything)
    shards = {"model-00001-of-00002.safetensors": keys[: len(keys) // 2],
              "model-00002-of-00002.safetensors": keys[len(keys) // 2:]}
    weight_map = {}
    for file, shard_keys in shards.items():
        write_safetensors(os.path.join(out, file), {k: everything[k] for k in shard_keys}, {"format": "pt"})
        weight_map.update({k: file for k in shard_keys})
    total = sum(t.numel() * t.element_size() for t in everything.values())
    write_json(os.path.join(out, "model.safetensors.index.json"),
               {"metadata": {"total_size": total}, "weight_map": weight_map})
    config = {"architectures": ["SiglipModel"], "model_type": "siglip",
              "text_config": {"hidden_size": 16, "model_type": "siglip_text_model"},
              "vision_config": dict(vision, model_type="siglip_vision_model")}
    write_json(os.path.join(out, "config.json"), config)
    write_json(os.path.join(out, "preprocessor_config.json"), siglip_processor(30))
    finish_small(out, model, state, c, seed)


def finish_small(out, model, state, c, seed):
    images = images_for(c, seed, batch=3)
    save_npy(os.path.join(out, "images.npy"), images.numpy())
    save_npy(os.path.join(out, "expected.npy"), forward64(model, {k: v.float() for k, v in state.items()}, images))
    print("wrote", out)


def clip_processor(size):
    """preprocessor_config.json as openai/clip-vit-base-patch32 ships it, at another size."""
    return {"crop_size": size, "do_center_crop": True, "do_normalize": True, "do_resize": True,
            "feature_extractor_type": "CLIPFeatureExtractor", "image_mean": OPENAI_CLIP_MEAN,
            "image_std": OPENAI_CLIP_STD, "resample": 3, "size": size}


def siglip_processor(size):
    """preprocessor_config.json as google/siglip-so400m-patch14-384 ships it, at another size."""
    return {"do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": [0.5, 0.5, 0.5],
            "image_processor_type": "SiglipImageProcessor", "image_std": [0.5, 0.5, 0.5], "processor_class":
            "SiglipProcessor", "resample": 3, "rescale_factor": 0.00392156862745098,
            "size": {"height": size, "width": size}}


def hf_rescale_normalize(pixels, mean, std):
    """transformers' rescale (float64 multiply, cast to float32) then normalize (float32), HWC -> CHW."""
    x = (pixels.astype(np.float64) * (1 / 255)).astype(np.float32)
    x = (x - np.array(mean, dtype=np.float32)) / np.array(std, dtype=np.float32)
    return x.transpose(2, 0, 1)


def preprocessing():
    gen = np.random.default_rng(7)
    w, h = 37, 23
    yy, xx = np.mgrid[0:h, 0:w]
    base = np.stack([xx * 255 / w, yy * 255 / h, (xx + yy) * 255 / (w + h)], axis=-1)
    photo = np.clip(base + gen.normal(0, 25, base.shape), 0, 255).astype(np.uint8)
    os.makedirs(PREPROCESSING, exist_ok=True)
    Image.fromarray(photo, "RGB").save(os.path.join(PREPROCESSING, "photo.png"))
    image = Image.open(os.path.join(PREPROCESSING, "photo.png")).convert("RGB")

    # CLIPImageProcessor: shortest edge 16 (long side int(16 * 37 / 23) = 25), centre crop 13 x 13: the short
    # side's difference 3 is where HF's floor division (offset 1) and torchvision's rounding (2) part
    short, crop_size = 16, 13
    resized = image.resize((int(short * w / h), short), resample=Image.BICUBIC)
    arr = np.array(resized)
    top, left = (arr.shape[0] - crop_size) // 2, (arr.shape[1] - crop_size) // 2
    crop = arr[top:top + crop_size, left:left + crop_size]
    save_npy(os.path.join(PREPROCESSING, "clip.npy"), hf_rescale_normalize(crop, OPENAI_CLIP_MEAN, OPENAI_CLIP_STD))
    processor = clip_processor(crop_size)
    processor["size"] = {"shortest_edge": short}
    processor["crop_size"] = {"height": crop_size, "width": crop_size}
    write_json(os.path.join(PREPROCESSING, "clip_preprocessor_config.json"), processor)

    # SiglipImageProcessor: resize to 19 x 19 regardless of aspect, no crop
    arr = np.array(image.resize((19, 19), resample=Image.BICUBIC))
    save_npy(os.path.join(PREPROCESSING, "siglip.npy"), hf_rescale_normalize(arr, [0.5] * 3, [0.5] * 3))
    write_json(os.path.join(PREPROCESSING, "siglip_preprocessor_config.json"), siglip_processor(19))
    print("wrote", PREPROCESSING)


def hf_clip_pixels(image, edge, crop, mean, std):
    """CLIPImageProcessor: RGB, shorter side to edge (Pillow bicubic), centre crop with floor division."""
    w, h = image.size
    size = (edge, int(edge * h / w)) if w <= h else (int(edge * w / h), edge)
    arr = np.array(image.convert("RGB").resize(size, resample=Image.BICUBIC))
    top, left = (arr.shape[0] - crop) // 2, (arr.shape[1] - crop) // 2
    return hf_rescale_normalize(arr[top:top + crop, left:left + crop], mean, std)


def hf_siglip_pixels(image, size):
    """SiglipImageProcessor: RGB, resize to size x size (Pillow bicubic), mean and std 0.5."""
    arr = np.array(image.convert("RGB").resize((size, size), resample=Image.BICUBIC))
    return hf_rescale_normalize(arr, [0.5] * 3, [0.5] * 3)


def cli_embed_fixtures():
    files = sorted(glob.glob(os.path.join(CLI_FIXTURES, "images", "*", "*.png")))
    images = [Image.open(f) for f in files]

    out = os.path.join(CLI_FIXTURES, "hf-clip")
    c = dict(CLIP_DEFAULTS, hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
             image_size=24, patch_size=8, projection_dim=16)
    model = ClipVisionModelWithProjection(c)
    _, state = randomise(model, 21)
    write_safetensors(os.path.join(out, "model.safetensors"), state)
    write_json(os.path.join(out, "config.json"), dict(c, architectures=["CLIPVisionModelWithProjection"],
                                                      model_type="clip_vision_model"))
    processor = clip_processor(24)
    processor["size"] = {"shortest_edge": 28}
    write_json(os.path.join(out, "preprocessor_config.json"), processor)
    pixels = torch.from_numpy(np.stack([hf_clip_pixels(im, 28, 24, OPENAI_CLIP_MEAN, OPENAI_CLIP_STD)
                                        for im in images]))
    save_npy(os.path.join(out, "expected.npy"), forward64(model, state, pixels))

    out = os.path.join(CLI_FIXTURES, "hf-siglip")
    c = dict(SIGLIP_DEFAULTS, hidden_size=32, intermediate_size=48, num_hidden_layers=1, num_attention_heads=2,
             image_size=30, patch_size=8)
    model = SiglipVisionModel(c)
    _, state = randomise(model, 22)
    state = {k: v.half() for k, v in state.items()}
    write_safetensors(os.path.join(out, "model.safetensors"), state)
    write_json(os.path.join(out, "config.json"), dict(c, architectures=["SiglipVisionModel"],
                                                      model_type="siglip_vision_model"))
    write_json(os.path.join(out, "preprocessor_config.json"), siglip_processor(30))
    pixels = torch.from_numpy(np.stack([hf_siglip_pixels(im, 30) for im in images]))
    save_npy(os.path.join(out, "expected.npy"), forward64(model, {k: v.float() for k, v in state.items()}, pixels))
    print("wrote", CLI_FIXTURES, "hf-clip and hf-siglip for", len(files), "images")


def main():
    torch.set_num_threads(2)
    torch.manual_seed(0)
    released_layouts()
    clip_b32 = dict(CLIP_DEFAULTS, num_hidden_layers=2)
    full_width("clip-b32-width", "clip_vision_model", "CLIPVisionModelWithProjection", clip_b32,
               ClipVisionModelWithProjection, 1032)
    so400m = dict(RELEASED["google/siglip-so400m-patch14-384"][1], num_hidden_layers=2, image_size=64)
    full_width("siglip-so400m-width", "siglip_vision_model", "SiglipVisionModel", so400m, SiglipVisionModel, 1400)
    small_clip_model(11)
    small_clip_vision(12)
    small_siglip_model(13)
    preprocessing()
    cli_embed_fixtures()


if __name__ == "__main__":
    main()
