"""PyTorch mirrors of Hugging Face's CLIP and SigLIP vision towers (transformers' modeling_clip.py and
modeling_siglip.py, eager attention path): the same module tree, so state_dict() has the real key names, and the
same maths. Written for the fixtures of org.unicom4j.model.encoder because transformers is not installed here.

CLIPVisionModel:                 vision_model.{embeddings, pre_layrnorm, encoder, post_layernorm}; the output is
                                 post_layernorm(last_hidden_state[:, 0]) (the class token), quick-GELU.
CLIPVisionModelWithProjection:   the same plus visual_projection (Linear without bias), as CLIPModel has it.
SiglipVisionModel:               vision_model.{embeddings (Conv2d with bias, no class token), encoder, post_layernorm,
                                 head}; head = SiglipMultiheadAttentionPoolingHead: nn.MultiheadAttention of a learned
                                 probe over the tokens, then x + mlp(layernorm(x)); tanh-GELU.
"""
import math

import torch
from torch import nn


def activation(name):
    if name == "quick_gelu":
        return lambda x: x * torch.sigmoid(1.702 * x)
    if name in ("gelu_pytorch_tanh", "gelu_new"):
        return lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))
    raise ValueError(name)


class Attention(nn.Module):
    """CLIPAttention / SiglipAttention: separate q, k, v projections with bias, softmax(q k^T * head_dim^-0.5) v."""

    def __init__(self, c):
        super().__init__()
        self.heads = c["num_attention_heads"]
        self.head_dim = c["hidden_size"] // self.heads
        d = c["hidden_size"]
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.q_proj = nn.Linear(d, d)
        self.out_proj = nn.Linear(d, d)

    def forward(self, x):
        b, n, d = x.shape

        def split(t):
            return t.view(b, n, self.heads, self.head_dim).transpose(1, 2)

        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        w = torch.softmax(torch.matmul(q, k.transpose(2, 3)) * self.head_dim ** -0.5, dim=-1)
        return self.out_proj(torch.matmul(w, v).transpose(1, 2).reshape(b, n, d))


class Mlp(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.act = activation(c["hidden_act"])
        self.fc1 = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.fc2 = nn.Linear(c["intermediate_size"], c["hidden_size"])

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class EncoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, eps = c["hidden_size"], c["layer_norm_eps"]
        self.self_attn = Attention(c)
        self.layer_norm1 = nn.LayerNorm(d, eps=eps)
        self.mlp = Mlp(c)
        self.layer_norm2 = nn.LayerNorm(d, eps=eps)

    def forward(self, x):
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp(self.layer_norm2(x))


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layers = nn.ModuleList([EncoderLayer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class ClipEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, p = c["hidden_size"], c["patch_size"]
        self.class_embedding = nn.Parameter(torch.randn(d))
        self.patch_embedding = nn.Conv2d(c["num_channels"], d, kernel_size=p, stride=p, bias=False)
        self.position_embedding = nn.Embedding((c["image_size"] // p) ** 2 + 1, d)

    def forward(self, pixels):
        patches = self.patch_embedding(pixels).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(pixels.shape[0], 1, -1)
        return torch.cat([cls, patches], dim=1) + self.position_embedding.weight.unsqueeze(0)


class ClipVisionTransformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, eps = c["hidden_size"], c["layer_norm_eps"]
        self.embeddings = ClipEmbeddings(c)
        self.pre_layrnorm = nn.LayerNorm(d, eps=eps)  # sic: HF's key name
        self.encoder = Encoder(c)
        self.post_layernorm = nn.LayerNorm(d, eps=eps)

    def forward(self, pixels):
        hidden = self.encoder(self.pre_layrnorm(self.embeddings(pixels)))
        return self.post_layernorm(hidden[:, 0, :])


class ClipVisionModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.vision_model = ClipVisionTransformer(c)

    def forward(self, pixels):
        return self.vision_model(pixels)


class ClipVisionModelWithProjection(ClipVisionModel):
    def __init__(self, c):
        super().__init__(c)
        self.visual_projection = nn.Linear(c["hidden_size"], c["projection_dim"], bias=False)

    def forward(self, pixels):
        return self.visual_projection(self.vision_model(pixels))


class SiglipEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, p = c["hidden_size"], c["patch_size"]
        self.patch_embedding = nn.Conv2d(c["num_channels"], d, kernel_size=p, stride=p, padding="valid")
        self.position_embedding = nn.Embedding((c["image_size"] // p) ** 2, d)

    def forward(self, pixels):
        patches = self.patch_embedding(pixels).flatten(2).transpose(1, 2)
        return patches + self.position_embedding.weight.unsqueeze(0)


class SiglipHead(nn.Module):
    """SiglipMultiheadAttentionPoolingHead."""

    def __init__(self, c):
        super().__init__()
        d = c["hidden_size"]
        self.probe = nn.Parameter(torch.randn(1, 1, d))
        self.attention = nn.MultiheadAttention(d, c["num_attention_heads"], batch_first=True)
        self.layernorm = nn.LayerNorm(d, eps=c["layer_norm_eps"])
        self.mlp = Mlp(c)

    def forward(self, hidden):
        probe = self.probe.repeat(hidden.shape[0], 1, 1)
        x = self.attention(probe, hidden, hidden, need_weights=False)[0]
        x = x + self.mlp(self.layernorm(x))
        return x[:, 0]


class SiglipVisionTransformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = SiglipEmbeddings(c)
        self.encoder = Encoder(c)
        self.post_layernorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.head = SiglipHead(c)

    def forward(self, pixels):
        return self.head(self.post_layernorm(self.encoder(self.embeddings(pixels))))


class SiglipVisionModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.vision_model = SiglipVisionTransformer(c)

    def forward(self, pixels):
        return self.vision_model(pixels)


# Defaults of transformers' CLIPVisionConfig and SiglipVisionConfig (configuration_clip.py, configuration_siglip.py).
CLIP_DEFAULTS = dict(hidden_size=768, intermediate_size=3072, projection_dim=512, num_hidden_layers=12,
                     num_attention_heads=12, num_channels=3, image_size=224, patch_size=32, hidden_act="quick_gelu",
                     layer_norm_eps=1e-5)
SIGLIP_DEFAULTS = dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
                       num_channels=3, image_size=224, patch_size=16, hidden_act="gelu_pytorch_tanh",
                       layer_norm_eps=1e-6)

# The released vision configs (config.json of each Hugging Face repository).
RELEASED = {
    "openai/clip-vit-base-patch32": ("clip", dict(CLIP_DEFAULTS)),
    "openai/clip-vit-base-patch16": ("clip", dict(CLIP_DEFAULTS, patch_size=16)),
    "openai/clip-vit-large-patch14": ("clip", dict(CLIP_DEFAULTS, hidden_size=1024, intermediate_size=4096,
                                                    num_hidden_layers=24, num_attention_heads=16, patch_size=14,
                                                    projection_dim=768)),
    "google/siglip-base-patch16-224": ("siglip", dict(SIGLIP_DEFAULTS)),
    "google/siglip-so400m-patch14-384": ("siglip", dict(SIGLIP_DEFAULTS, hidden_size=1152, intermediate_size=4304,
                                                        num_hidden_layers=27, num_attention_heads=16, patch_size=14,
                                                        image_size=384)),
}
