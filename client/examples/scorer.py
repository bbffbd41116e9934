#!/usr/bin/env python3
"""Example scorer for `perspective eval run --scorer`: scores a text output against a reference
text with transparent metrics, so the agent can be tried without a model.

Input (stdin, JSON): {"task", "kind", "criteria": [...], "content_path", "content_hash", "uri"}.
Output (stdout, JSON): {"scores": [one integer 0..100 per criterion]}.

Metrics, by criterion name (case-insensitive):
  - containing "overlap" or "f1": token F1 between output and reference (bag of lowercase words);
  - containing "length": 100 * min(len_out, len_ref) / max(len_out, len_ref) in words;
  - anything else: character similarity (difflib.SequenceMatcher ratio).
Each is scaled to 0..100 and rounded. Without --reference every criterion scores 50.

Usage: scorer.py --reference REFERENCE_FILE
"""
import argparse
import difflib
import json
import re
import sys
from collections import Counter


def words(text):
    return re.findall(r"[a-z0-9']+", text.lower())


def token_f1(output, reference):
    out, ref = Counter(words(output)), Counter(words(reference))
    common = sum((out & ref).values())
    if common == 0:
        return 0.0
    precision = common / sum(out.values())
    recall = common / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def length_ratio(output, reference):
    a, b = len(words(output)), len(words(reference))
    return 1.0 if a == b == 0 else min(a, b) / max(a, b)


def similarity(output, reference):
    return difflib.SequenceMatcher(None, output, reference).ratio()


def score(criterion, output, reference):
    name = criterion.lower()
    if "overlap" in name or "f1" in name:
        value = token_f1(output, reference)
    elif "length" in name:
        value = length_ratio(output, reference)
    else:
        value = similarity(output, reference)
    return max(0, min(100, round(100 * value)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", help="reference text file")
    args = parser.parse_args()
    task = json.load(sys.stdin)
    with open(task["content_path"], encoding="utf-8", errors="replace") as f:
        output = f.read()
    if args.reference:
        with open(args.reference, encoding="utf-8", errors="replace") as f:
            reference = f.read()
        scores = [score(c, output, reference) for c in task["criteria"]]
    else:
        scores = [50 for _ in task["criteria"]]
    print(json.dumps({"scores": scores}))


if __name__ == "__main__":
    main()
