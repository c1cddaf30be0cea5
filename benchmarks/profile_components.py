"""Where extraction time goes: seconds per pipeline component over a folder of .txt files.

    python benchmarks/profile_components.py DIR [--syntax none] [--recogniser none]

Each component runs over all documents in turn (tokenizer first), timed on its own, after the
pipeline is built (start-up is reported separately). This is the profile behind the
throughput figures in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path
from typing import Any


def main() -> None:
    """Build the default pipeline, then time the tokenizer and each component."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--syntax", default="default")
    parser.add_argument("--recogniser", default="default")
    options = parser.parse_args()
    folder = options.folder
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))]
    started = time.perf_counter()
    from claimminer.pipeline import build_pipeline

    stages = count_claim_stages()
    nlp = build_pipeline(syntax=options.syntax, recogniser=options.recogniser)
    print(f"start-up (imports, lexicon, rules): {time.perf_counter() - started:.2f} s")
    timings: list[tuple[str, float]] = []
    clock = time.perf_counter()
    docs = [nlp.make_doc(text) for text in texts]
    timings.append(("tokenizer", time.perf_counter() - clock))
    for name, component in nlp.pipeline:
        clock = time.perf_counter()
        docs = [component(doc) for doc in docs]
        timings.append((name, time.perf_counter() - clock))
    total = sum(seconds for _, seconds in timings)
    for name, seconds in timings:
        print(f"{name:28s} {seconds:7.2f} s  {100 * seconds / total:5.1f}%")
    print(f"{'all components':28s} {total:7.2f} s  {len(texts) / total:.0f} documents/s")
    parsed_starts = [doc._.parsed_sentences or frozenset() for doc in docs]
    sentences = sum(len(list(doc.sents)) for doc in docs)
    parsed = sum(len(starts) for starts in parsed_starts)
    tokens = sum(len(doc) for doc in docs)
    parsed_tokens = sum(
        len(sentence) for doc, starts in zip(docs, parsed_starts, strict=True)
        for sentence in doc.sents if sentence.start_char in starts
    )  # fmt: skip
    print(f"parsed: {parsed} of {sentences} sentences, {parsed_tokens} of {tokens} tokens "
          "(after merging entities)")  # fmt: skip
    print(f"surface rules: {stages['sentences']} sentences screened in, "
          f"{stages['rules']} rule runs of {stages['sentences'] * stages['rule_count']} "
          f"without screening")  # fmt: skip


def count_claim_stages() -> Counter[str]:
    """Count the sentences the surface reader takes and the rules the screening lets run."""
    from claimminer.claims import extract, surface

    counts: Counter[str] = Counter()
    find_matches, candidates = extract.find_matches, surface.RuleMatcher.candidates

    def counted_find(*args: Any) -> Any:
        counts["sentences"] += 1
        return find_matches(*args)

    def counted_candidates(self: surface.RuleMatcher, *args: Any) -> Any:
        offered = list(candidates(self, *args))
        counts["rules"] += len(offered)
        counts["rule_count"] = len(self.compiled)
        return iter(offered)

    extract.find_matches = counted_find  # type: ignore[assignment]
    surface.RuleMatcher.candidates = counted_candidates  # type: ignore[method-assign]
    return counts


if __name__ == "__main__":
    main()
