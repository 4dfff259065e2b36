"""The comparison side of bench/bench_face: the same face CNN in PyTorch (Debian's python3-torch),
the same PublicTest crops decoded with OpenCV's Python bindings, scored in batches of 64 with
flip averaging. Weights are random: throughput does not depend on them.
Usage: face_pytorch.py FER2013_DIR THREADS REPEATS"""
import pathlib
import sys
import time

import torch
from torch import nn


def face_cnn(channels=(32, 64, 128, 256), convs=2, classes=7):
    layers, c_in = [], 1
    for c_out in channels:
        for i in range(convs):
            layers += [nn.Conv2d(c_in if i == 0 else c_out, c_out, 3, padding=1, bias=False),
                       nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]
        layers.append(nn.MaxPool2d(2, ceil_mode=True))
        c_in = c_out
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.4), nn.Linear(c_in, classes))


def main():
    import cv2  # here, so that bench/train_step_pytorch.py can import face_cnn without OpenCV's bindings
    import numpy as np

    root, threads, repeats = pathlib.Path(sys.argv[1]) / "publictest", int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    files = sorted(root.glob("*/*.png"))
    pixels = np.stack([cv2.imread(str(f), cv2.IMREAD_GRAYSCALE) for f in files])
    net = face_cnn().eval()

    def run():
        x = (torch.from_numpy(pixels).float().unsqueeze(1) / 255.0 - 0.5) / 0.25
        with torch.inference_mode():
            for b in range(0, len(x), 64):
                batch = x[b:b + 64]
                _ = 0.5 * (net(batch).softmax(1) + net(batch.flip(3)).softmax(1))

    run()
    best = min(timed(run) for _ in range(repeats))
    print(f"PyTorch {torch.__version__} face CNN: {len(files)} crops, {threads} thread(s), flip averaging on: "
          f"{best:.3f} s ({len(files) / best:.0f} crops/s)")

    # Training: 2,048 faces, batch 64, AdamW, torchvision-free augmentation-less steps (a lower bound
    # on the work emo does per step, which also augments).
    net.train()
    optimizer = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.01)
    x = (torch.from_numpy(pixels[:2048]).float().unsqueeze(1) / 255.0 - 0.5) / 0.25
    y = torch.randint(0, 7, (len(x),))

    def epoch():
        for b in range(0, len(x), 64):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(net(x[b:b + 64]), y[b:b + 64], label_smoothing=0.1)
            loss.backward()
            optimizer.step()

    seconds = timed(epoch)
    print(f"PyTorch face training: {len(x)} images, batch 64, {threads} thread(s): {seconds:.1f} s "
          f"({len(x) / seconds:.0f} images/s, no augmentation, no validation)")


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
