#!/usr/bin/env python3
"""The same feature pipeline as bench_features.cpp in torchaudio: load -> resample 16 kHz -> log-mel.

Usage: /usr/bin/python3 bench/features_torchaudio.py DIR [threads] [repeats]   (needs python3-torchaudio)
"""
import glob
import sys
import time

import torch
import torchaudio

folder = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
torch.set_num_threads(threads)
paths = sorted(glob.glob(f"{folder}/**/*.flac", recursive=True) + glob.glob(f"{folder}/**/*.wav", recursive=True))
mel = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, win_length=400, hop_length=160,
                                           n_mels=64, mel_scale="slaney", norm="slaney", power=2.0)
to_db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=80.0)
resamplers = {}


def run():
    frames = 0
    for p in paths:
        wave, sr = torchaudio.load(p)
        wave = wave.mean(0)
        if sr != 16000:
            if sr not in resamplers:
                resamplers[sr] = torchaudio.transforms.Resample(sr, 16000)
            wave = resamplers[sr](wave)
        frames += to_db(mel(wave)).shape[-1]
    return frames


run()  # warm-up
best = 1e30
for _ in range(repeats):
    t0 = time.perf_counter()
    frames = run()
    best = min(best, time.perf_counter() - t0)
print(f"torchaudio: {len(paths)} clips, {frames} frames, {threads} thread(s): {best:.3f} s "
      f"({len(paths) / best:.1f} clips/s)")
