"""The Unicom ViT as /work/shared/spec/unicom.md section 1 describes it, in plain PyTorch.

Written from the spec (not copied from deepglint/unicom) so that it can serve as the golden reference for the
Java implementation: module and parameter names reproduce the released state-dict keys (section 2), e.g.
``blocks.3.attn.qkv.weight`` and ``feature.1.running_mean``.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# (image size, patch, width, depth, heads, mlp hidden, embedding) of the released models (spec table, section 1).
PRESETS = {
    "B32": dict(image_size=224, patch=32, width=768, depth=12, heads=12, mlp_hidden=3072, embedding=512),
    "B16": dict(image_size=224, patch=16, width=768, depth=12, heads=12, mlp_hidden=3072, embedding=768),
    "L14": dict(image_size=224, patch=14, width=1024, depth=24, heads=16, mlp_hidden=4096, embedding=768),
    "L14_336": dict(image_size=336, patch=14, width=1024, depth=24, heads=16, mlp_hidden=4096, embedding=768),
}


class DropPath(nn.Module):
    """Stochastic depth: in training, each sample's branch is zeroed with probability p, else scaled by 1/(1-p)."""

    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        if self.p == 0.0 or not self.training:
            return x
        keep = 1.0 - self.p
        mask = torch.floor(keep + torch.rand((x.shape[0],) + (1,) * (x.dim() - 1), dtype=x.dtype, device=x.device))
        return x / keep * mask


class PatchEmbed(nn.Module):
    def __init__(self, channels, width, patch):
        super().__init__()
        self.proj = nn.Conv2d(channels, width, kernel_size=patch, stride=patch, bias=True)

    def forward(self, x):
        # [B, D, g, g] -> [B, g*g, D]: token n = row * g + col
        return self.proj(x).flatten(2).transpose(1, 2)


class Attention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.proj = nn.Linear(width, width, bias=True)

    def forward(self, x):
        b, n, d = x.shape
        hd = d // self.heads
        # channels of qkv: [q | k | v], each split into heads of hd channels
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = torch.softmax((q @ k.transpose(-2, -1)) * hd ** -0.5, dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(b, n, d)
        return self.proj(out)


class Mlp(nn.Module):
    def __init__(self, width, hidden):
        super().__init__()
        self.fc1 = nn.Linear(width, hidden)
        self.act = nn.ReLU6()
        self.fc2 = nn.Linear(hidden, width)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, width, heads, mlp_hidden, drop_path):
        super().__init__()
        # registration order fixes the state-dict order: norm1, norm2, attn, mlp (spec section 2)
        self.norm1 = nn.LayerNorm(width, eps=1e-5)
        self.norm2 = nn.LayerNorm(width, eps=1e-5)
        self.attn = Attention(width, heads)
        self.mlp = Mlp(width, mlp_hidden)
        self.drop_path = DropPath(drop_path)

    def forward(self, x):
        x = x + self.drop_path(self.attn(self.norm1(x)))
        return x + self.drop_path(self.mlp(self.norm2(x)))


class UnicomViT(nn.Module):
    def __init__(self, image_size=224, channels=3, patch=32, width=768, depth=12, heads=12, mlp_hidden=3072,
                 embedding=512, drop_path_rate=0.1):
        super().__init__()
        assert image_size % patch == 0 and width % heads == 0
        self.grid = image_size // patch
        self.tokens = self.grid * self.grid
        self.width = width
        self.pos_embed = nn.Parameter(torch.zeros(1, self.tokens, width))
        self.patch_embed = PatchEmbed(channels, width, patch)
        rates = [r.item() for r in torch.linspace(0, drop_path_rate, depth)]
        self.blocks = nn.ModuleList([Block(width, heads, mlp_hidden, rates[i]) for i in range(depth)])
        self.norm = nn.LayerNorm(width, eps=1e-5)
        self.feature = nn.Sequential(
            nn.Linear(self.tokens * width, width, bias=False),
            nn.BatchNorm1d(width, eps=2e-5, momentum=0.1),
            nn.Linear(width, embedding, bias=False),
            nn.BatchNorm1d(embedding, eps=2e-5, momentum=0.1),
        )
        self.init_from_scratch()

    def init_from_scratch(self):
        """Spec section 1: Linear trunc-normal(0.02) and zero bias, LayerNorm 1/0, pos_embed trunc-normal(0.02),
        patch conv and BatchNorm left at PyTorch's defaults (kaiming-uniform a=sqrt(5); 1/0, running 0/1)."""
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward_features(self, x):
        x = self.patch_embed(x) + self.pos_embed
        for block in self.blocks:
            x = block(x)
        x = self.norm(x)
        return x.reshape(x.shape[0], self.tokens * self.width)  # flat index n * D + d (token-major)

    def forward(self, x):
        return self.feature(self.forward_features(x))  # raw BN output, not L2-normalised


def build(name, **overrides):
    args = dict(PRESETS[name])
    args.update(overrides)
    return UnicomViT(**args)


def resize_for_grid(state, new_grid):
    """Changes the input resolution of a state dict: pos_embed and feature.0 viewed as [D_out, g, g, D_in] are
    interpolated over the grid, bicubic with align_corners=False (PyTorch F.interpolate)."""
    out = dict(state)
    pos = state["pos_embed"]
    _, n, d = pos.shape
    g = int(math.isqrt(n))
    grid = pos.reshape(1, g, g, d).permute(0, 3, 1, 2).float()
    grid = F.interpolate(grid, size=(new_grid, new_grid), mode="bicubic", align_corners=False)
    out["pos_embed"] = grid.permute(0, 2, 3, 1).reshape(1, new_grid * new_grid, d).to(pos.dtype)
    w = state["feature.0.weight"]
    d_out = w.shape[0]
    grid = w.reshape(d_out, g, g, d).permute(0, 3, 1, 2).float()
    grid = F.interpolate(grid, size=(new_grid, new_grid), mode="bicubic", align_corners=False)
    out["feature.0.weight"] = grid.permute(0, 2, 3, 1).reshape(d_out, new_grid * new_grid * d).to(w.dtype)
    return out


if __name__ == "__main__":
    for name in PRESETS:
        model = build(name)
        count = sum(p.numel() for p in model.parameters())
        print(name, f"{count:,}", len(model.state_dict()))
