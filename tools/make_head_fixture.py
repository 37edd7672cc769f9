#!/usr/bin/python3
"""Golden values for org.unicom4j.model.head.ProjectionHead: PyTorch's nn.Linear(in, out) followed by
nn.BatchNorm1d(out) (eps 1e-5, momentum 0.1), one training step and evaluation, in float64 from float32 values.
Run with Debian's interpreter (python3-torch 1.13):

    /usr/bin/python3 tools/make_head_fixture.py model/src/test/resources/head

Writes x [B,in], weight [out,in], bias, bn_weight, bn_bias, bn_running_mean, bn_running_var (before the step),
r [B,out] (the loss is sum(train_out * r)), train_out [B,out] (batch statistics), d_weight, d_bias, d_bn_weight,
d_bn_bias, running_mean_after, running_var_after, eval_out [B,out] (the running statistics after the step), and
linear_out / d_weight_linear / d_bias_linear for the head without BatchNorm.
"""
import os
import sys

import numpy as np
import torch


def main(out):
    torch.manual_seed(5)
    batch, dim_in, dim_out = 19, 37, 11
    f32 = lambda t: t.float().double()  # the values the Java side sees
    x = f32(torch.randn(batch, dim_in))
    linear = torch.nn.Linear(dim_in, dim_out).double()
    bn = torch.nn.BatchNorm1d(dim_out, eps=1e-5, momentum=0.1).double()
    with torch.no_grad():
        linear.weight.copy_(f32(linear.weight))
        linear.bias.copy_(f32(linear.bias))
        bn.weight.copy_(f32(1 + 0.3 * torch.randn(dim_out)))
        bn.bias.copy_(f32(0.2 * torch.randn(dim_out)))
        bn.running_mean.copy_(f32(0.1 * torch.randn(dim_out)))
        bn.running_var.copy_(f32(1 + 0.5 * torch.rand(dim_out)))
    r = f32(torch.randn(batch, dim_out))
    arrays = {"x": x, "weight": linear.weight, "bias": linear.bias, "bn_weight": bn.weight, "bn_bias": bn.bias,
              "bn_running_mean": bn.running_mean.clone(), "bn_running_var": bn.running_var.clone(), "r": r}
    bn.train()
    y = bn(linear(x))
    (y * r).sum().backward()
    arrays.update({"train_out": y, "d_weight": linear.weight.grad.clone(), "d_bias": linear.bias.grad.clone(),
                   "d_bn_weight": bn.weight.grad, "d_bn_bias": bn.bias.grad,
                   "running_mean_after": bn.running_mean, "running_var_after": bn.running_var})
    bn.eval()
    with torch.no_grad():
        arrays["eval_out"] = bn(linear(x))
    linear.zero_grad()
    plain = linear(x)
    (plain * r).sum().backward()
    arrays.update({"linear_out": plain, "d_weight_linear": linear.weight.grad, "d_bias_linear": linear.bias.grad})
    os.makedirs(out, exist_ok=True)
    for key, value in arrays.items():
        np.save(os.path.join(out, key + ".npy"), value.detach().numpy().astype(np.float32))
    print("wrote", len(arrays), "arrays to", out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "model/src/test/resources/head")
