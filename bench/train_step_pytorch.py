"""The script a user would write instead of emo-train for the face CNN's training step: PyTorch
(Debian's python3-torch, the same LibTorch 1.13 and oneDNN) with AdamW, fp32 or
torch.autocast("cpu", dtype=torch.bfloat16) + channels-last, batch 64 of 48x48 faces, forward +
backward + step. Network only (no data loading): the upper bound emo's whole epochs are compared with.
Usage: train_step_pytorch.py THREADS STEPS"""
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from face_pytorch import face_cnn  # noqa: E402


def images_per_second(bf16, steps, batch=64):
    torch.manual_seed(1)
    net = face_cnn().to(memory_format=torch.channels_last if bf16 else torch.contiguous_format)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.01)
    x = torch.randn(batch, 1, 48, 48).contiguous(memory_format=torch.channels_last if bf16 else torch.contiguous_format)
    y = torch.randint(0, 7, (batch,))

    def step():
        opt.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = net(x)
        F.cross_entropy(logits.float(), y, label_smoothing=0.1).backward()
        opt.step()

    for _ in range(3):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return batch * steps / (time.perf_counter() - start)


def main():
    threads, steps = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    fp32, bf16 = images_per_second(False, steps), images_per_second(True, steps)
    print(f"pytorch face CNN training step, {threads} thread(s): fp32 {fp32:.0f} img/s, "
          f"bf16 + channels-last {bf16:.0f} img/s ({bf16 / fp32:.2f}x)")


if __name__ == "__main__":
    main()
