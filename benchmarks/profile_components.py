"""Where extraction time goes: seconds per pipeline component over a folder of .txt files.

    python benchmarks/profile_components.py DIR [--syntax none]

Each component runs over all documents in turn (tokenizer first), timed on its own, after the
pipeline is built (start-up is reported separately). This is the profile behind the
throughput figures in BENCHMARKS.md.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main() -> None:
    """Build the default pipeline, then time the tokenizer and each component."""
    folder = Path(sys.argv[1])
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))]
    started = time.perf_counter()
    from claimminer.pipeline import build_pipeline

    nlp = build_pipeline(syntax=sys.argv[3] if sys.argv[2:3] == ["--syntax"] else "default")
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


if __name__ == "__main__":
    main()
