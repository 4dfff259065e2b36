#!/usr/bin/env python3
"""Reference features for tests/test_features.cpp, from an independent implementation.

Debian 12: apt-get install python3-torchaudio   (torch 1.13, torchaudio 0.13.1)
Run from the repository root:  /usr/bin/python3 tests/ref/make_feature_refs.py
Writes tests/fixtures/*.txt: first line "rows cols", then one row per line.
The test signal is closed-form; test_features.cpp computes the same samples.
"""
import math
import torch
import torchaudio

SR = 16000
N = 4000  # 0.25 s


def signal():
    # 440 Hz + 3 kHz tones and a 200->2000 Hz chirp; float64 then float32, as in the C++ test.
    x = []
    for i in range(N):
        t = i / SR
        chirp_phase = 2 * math.pi * (200 * t + 0.5 * (1800 / 0.25) * t * t)
        x.append(0.5 * math.sin(2 * math.pi * 440 * t) + 0.25 * math.sin(2 * math.pi * 3000 * t)
                 + 0.1 * math.sin(chirp_phase))
    return torch.tensor(x, dtype=torch.float64).to(torch.float32)


def write(name, matrix):  # matrix: [frames, dim]
    with open(f"tests/fixtures/{name}.txt", "w") as f:
        f.write(f"{matrix.shape[0]} {matrix.shape[1]}\n")
        for row in matrix.tolist():
            f.write(" ".join(f"{v:.6g}" for v in row) + "\n")


x = signal()
common = dict(sample_rate=SR, n_fft=512, win_length=400, hop_length=160, center=True, pad_mode="reflect")

# Default emo log-mel: Slaney scale and norm, power 2, dB with top_db 80.
mel = torchaudio.transforms.MelSpectrogram(n_mels=64, f_min=0.0, f_max=8000.0, power=2.0,
                                           mel_scale="slaney", norm="slaney", **common)(x)
db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=80.0)(mel)
write("chirp_logmel_slaney", db.T)

# HTK scale, no filter norm, magnitude (power 1), fmin 100, fmax 7000, dB of amplitude, no top_db.
mel_htk = torchaudio.transforms.MelSpectrogram(n_mels=40, f_min=100.0, f_max=7000.0, power=1.0,
                                               mel_scale="htk", norm=None, **common)(x)
write("chirp_logmel_htk_mag", torchaudio.transforms.AmplitudeToDB(stype="magnitude", top_db=None)(mel_htk).T)

# MFCC: 20 coefficients of the default log-mel (orthonormal DCT-II), plus deltas and delta-deltas.
mfcc = torchaudio.transforms.MFCC(sample_rate=SR, n_mfcc=20, dct_type=2, norm="ortho", log_mels=False,
                                  melkwargs=dict(n_fft=512, win_length=400, hop_length=160, n_mels=64, f_min=0.0,
                                                 f_max=8000.0, mel_scale="slaney", norm="slaney",
                                                 center=True, pad_mode="reflect"))(x)
d1 = torchaudio.functional.compute_deltas(mfcc, win_length=5)
d2 = torchaudio.functional.compute_deltas(d1, win_length=5)
write("chirp_mfcc20_deltas", torch.cat([mfcc, d1, d2], dim=0).T)
