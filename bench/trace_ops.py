#!/usr/bin/env python3
"""Sums a LibTorch op trace (bench_face_step with EMO_TRACE_DIR) per operator: self time (an op's time
less that of the ops it called on the same thread), share of all self time, calls. Standard library only.
Usage: bench/trace_ops.py TRACE.json [top]"""
import json
import sys
from collections import defaultdict


def main():
    events = json.load(open(sys.argv[1]))
    events = events["traceEvents"] if isinstance(events, dict) else events
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    per_thread = defaultdict(list)
    for e in events:
        if e.get("ph") == "X":
            per_thread[e.get("tid")].append((float(e["ts"]), float(e["dur"]), e["name"]))
    self_us, calls = defaultdict(float), defaultdict(int)
    for spans in per_thread.values():
        spans.sort(key=lambda s: (s[0], -s[1]))
        stack = []  # [end, name, child time]
        def close(until):
            while stack and stack[-1][0] <= until:
                end, name, children, dur = stack.pop()
                self_us[name] += dur - children
                if stack:
                    stack[-1][2] += dur
        for ts, dur, name in spans:
            close(ts)
            stack.append([ts + dur, name, 0.0, dur])
            calls[name] += 1
        close(float("inf"))
    total = sum(self_us.values())
    print(f"{'operator':48} {'self ms':>9} {'share':>6} {'calls':>6}")
    for name, us in sorted(self_us.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{name[:48]:48} {us / 1000:9.1f} {100 * us / total:5.1f}% {calls[name]:6}")


if __name__ == "__main__":
    main()
