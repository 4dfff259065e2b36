#!/usr/bin/env python3
"""Rewrites the per-epoch table of a face run in a Markdown file from the run's metrics.csv.

The table is the one headed "| epoch | learning rate | train acc | PublicTest acc | UAR | seconds |"
(models/README.md, "Faces v3"); every row is regenerated, so the table always matches the run.
Usage: scripts/experiments/face_run_table.py METRICS_CSV MARKDOWN_FILE
"""
import csv
import sys

HEADER = "| epoch | learning rate | train acc | PublicTest acc | UAR | seconds |"


def rows(metrics_csv):
    with open(metrics_csv, newline="") as f:
        for r in csv.DictReader(f):
            yield "| %s | %.1e | %.3f | %.3f | %.3f | %d |" % (
                r["epoch"], float(r["learning_rate"]), float(r["train_accuracy"]), float(r["val_accuracy"]),
                float(r["val_uar"]), round(float(r["seconds"])))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    metrics_csv, markdown = sys.argv[1], sys.argv[2]
    lines = open(markdown).read().split("\n")
    if HEADER not in lines:
        sys.exit("%s: no table headed %s" % (markdown, HEADER))
    start = lines.index(HEADER) + 2  # below the header and its |---| line
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    table = list(rows(metrics_csv))
    lines[start:end] = table
    with open(markdown, "w") as f:
        f.write("\n".join(lines))
    print("%s: %d epochs" % (markdown, len(table)))


if __name__ == "__main__":
    main()
