"""The processor's attainable matrix rate through the same oneDNN/BLAS as emo (Debian's python3-torch):
a 2048^3 matrix product in fp32 and in bf16, GFLOP/s. The face training step's FLOP/s divided by the
bf16 figure is the share of peak bench/README.md reports. Usage: matmul_peak.py THREADS [REPEATS]"""
import sys
import time

import torch


def gflops(dtype, repeats, n=2048):
    a, b = torch.randn(n, n).to(dtype), torch.randn(n, n).to(dtype)
    torch.matmul(a, b)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        torch.matmul(a, b)
        best = min(best, time.perf_counter() - start)
    return 2 * n ** 3 / best / 1e9


def main():
    torch.set_num_threads(int(sys.argv[1]))
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print(f"matmul 2048^3, {sys.argv[1]} thread(s): fp32 {gflops(torch.float32, repeats):.0f} GFLOP/s, "
          f"bf16 {gflops(torch.bfloat16, repeats):.0f} GFLOP/s")


if __name__ == "__main__":
    main()
