#!/usr/bin/env python3
"""Writes a multi-corpus speech config without one corpus: its `data:` entry and its held-out speakers go.

Usage: leave_corpus_out.py CONFIG CORPUS > OUT.yaml
The model trained from OUT.yaml never hears CORPUS; `emo-eval --data CORPUS_PATH` then scores it on a corpus
it never heard (the leave-one-corpus-out measure of one fold, see docs/multicorpus.md). Standard library only.
"""
import re
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path, corpus = sys.argv[1], sys.argv[2]
    text = open(path, encoding="utf-8").read()
    entry = re.compile(r"^\s*- \{[^}]*\bname: " + re.escape(corpus) + r"\b[^}]*\}\s*(#.*)?\n", re.M)
    text, removed = entry.subn("", text)
    if removed != 1:
        sys.exit(f"{path}: expected one data: entry named {corpus}, found {removed}")
    speakers = re.compile(r"validation_speakers:\s*\[([^\]]*)\]", re.S)
    match = speakers.search(text)
    if not match:
        sys.exit(f"{path}: no split.validation_speakers list")
    kept = [s.strip() for s in match.group(1).split(",") if s.strip() and not s.strip().startswith(corpus + "/")]
    text = text[: match.start(1)] + ", ".join(kept) + text[match.end(1):]
    sys.stdout.write(f"# {path} without {corpus} (scripts/experiments/leave_corpus_out.py)\n" + text)


if __name__ == "__main__":
    main()
