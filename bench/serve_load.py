#!/usr/bin/env python3
"""emo-serve under load: CLIENTS concurrent clients each send REQUESTS requests to POST /v1/predict,
alternating RAVDESS clips and FER2013 PublicTest faces (different files per request), over loopback.
Reports requests/s, p50/p99 latency, errors, and the server's resident memory (VmRSS) after a warm-up and after
the load. Beside it, the tool a user would otherwise script: one `emo-predict --json FILE` process per input,
on the first SIDE inputs, one after the other.

Usage: bench/serve_load.py [--clients 8] [--requests 25] [--side 20] [--threads 8] [--rounds 1] [--bin build/apps]
                           [--data ../shared/data]
Standard library only.
"""
import argparse
import glob
import http.client
import os
import re
import statistics
import subprocess
import threading
import time


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return float(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def post(port, path, content_type):
    with open(path, "rb") as f:
        body = f.read()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    conn.request("POST", "/v1/predict", body, {"Content-Type": content_type})
    res = conn.getresponse()
    text = res.read()
    conn.close()
    return res.status, time.perf_counter() - start, text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=25)
    ap.add_argument("--side", type=int, default=20)
    ap.add_argument("--bin", default="build/apps")
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--threads", type=int, default=8, help="emo-serve --threads")
    ap.add_argument("--rounds", type=int, default=1, help="the load again, memory after each round")
    args = ap.parse_args()

    clips = sorted(glob.glob(os.path.join(args.data, "ravdess/Actor_*/*.flac")))
    faces = sorted(glob.glob(os.path.join(args.data, "fer2013/publictest/*/*.png")))[::7]
    total = args.clients * args.requests
    inputs = [(clips[i // 2 % len(clips)], "audio/flac") if i % 2 == 0 else (faces[i // 2 % len(faces)], "image/png")
              for i in range(total + 8)]
    warmup, load = inputs[:8], inputs[8:]

    server = subprocess.Popen([os.path.join(args.bin, "emo-serve"), "--port", "0", "--threads", str(args.threads),
                               "--max-queue", str(max(16, args.clients * 2))],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(re.search(r":(\d+)$", server.stdout.readline().strip()).group(1))
        for path, kind in warmup:
            status, _, text = post(port, path, kind)
            assert status == 200, text
        rss_warm = rss_mb(server.pid)

        latencies, errors, lock = [], [], threading.Lock()

        def client(k):
            for path, kind in load[k::args.clients]:
                try:
                    status, seconds, text = post(port, path, kind)
                except Exception as e:  # a dropped connection is an error too
                    status, seconds, text = 0, 0, str(e).encode()
                with lock:
                    (latencies.append(seconds) if status == 200 else errors.append((status, text[:200])))

        rss_rounds = []
        for _ in range(args.rounds):
            latencies.clear()
            start = time.perf_counter()
            threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - start
            rss_rounds.append(rss_mb(server.pid))
        rss_after = rss_rounds[0]
    finally:
        server.terminate()
        server.wait()

    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(f"emo-serve: {args.clients} clients x {args.requests} requests ({total}: clips and faces alternating), "
          f"--threads {args.threads}")
    print(f"  {len(latencies)} ok, {len(errors)} errors in {wall:.1f} s: {len(latencies) / wall:.1f} requests/s, "
          f"latency p50 {p(0.5):.0f} ms, p99 {p(0.99):.0f} ms, mean {statistics.mean(latencies) * 1000:.0f} ms")
    print(f"  resident memory: {rss_warm:.1f} MB after warm-up, {rss_after:.1f} MB after the load "
          f"({rss_after - rss_warm:+.1f} MB)")
    if args.rounds > 1:
        print("  after each round: " + ", ".join(f"{r:.1f}" for r in rss_rounds) + " MB")
    for e in errors[:5]:
        print("  error:", e)

    side = load[:args.side]
    if not side:
        return 1 if errors else 0
    start = time.perf_counter()
    for path, _ in side:
        subprocess.run([os.path.join(args.bin, "emo-predict"), "--json", path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    per_process = len(side) / (time.perf_counter() - start)
    print(f"emo-predict, one process per input ({len(side)} inputs, one after the other): {per_process:.2f} inputs/s")
    print(f"ratio: emo-serve {len(latencies) / wall / per_process:.1f}x the requests/s")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
