#!/usr/bin/env python3
"""ReLU variants and max pooling on one 64x32x48x48 channels-last activation, fp32 and bf16 (why emo's ReLU
is threshold_: bench/README.md "Precision"). Debian's python3-torch. Usage: bench/elementwise_ops.py"""
import torch, time
torch.set_num_threads(2)
def bench(name, f, x, n=30):
    for _ in range(3): f(x)
    t=time.perf_counter()
    for _ in range(n): f(x)
    print(f"{name:40s} {(time.perf_counter()-t)/n*1e3:7.3f} ms")
for dt in (torch.float32, torch.bfloat16):
    x = torch.randn(64,32,48,48).to(dt).contiguous(memory_format=torch.channels_last)
    print(dt)
    bench("clamp_min_", lambda x: x.clamp_min_(0), x.clone(memory_format=torch.channels_last))
    bench("relu_", lambda x: torch.relu_(x), x.clone(memory_format=torch.channels_last))
    bench("threshold_", lambda x: torch.threshold_(x,0.,0.), x.clone(memory_format=torch.channels_last))
    bench("relu (out of place)", lambda x: torch.relu(x), x)
    bench("max_pool2d", lambda x: torch.nn.functional.max_pool2d(x,2,ceil_mode=True), x)
    bench("max_pool2d_with_indices", lambda x: torch.nn.functional.max_pool2d(x,2,ceil_mode=True, return_indices=True), x)
    xr = x.clone().requires_grad_()
    def pool_bwd(x):
        y = torch.nn.functional.max_pool2d(xr,2,ceil_mode=True); y.backward(torch.ones_like(y))
    bench("max_pool2d fwd+bwd", pool_bwd, x)
    xn = x.contiguous()
    bench("max_pool2d NCHW", lambda x: torch.nn.functional.max_pool2d(x,2,ceil_mode=True), xn)
