"""Peak memory over a long run: does a worker's resident set stop growing?

    python benchmarks/memory_run.py ../shared/corpora/treebanks/craft --texts 20000
        [--syntax none --recogniser none] [--json out/memory.json]

Builds `--texts` different pseudo-abstracts of ten CRAFT sentences each (sentences drawn with
a fixed seed from all CoNLL-U files under the folder, no text twice), runs them through the
pipeline in one process as `claimminer extract` does (`process`, in memory zones), and
reports the peak resident set (`ru_maxrss`) and the current one (`/proc/self/statm`) after
every `--every` documents. The figure for issue 15 is the peak after the first half against
the peak at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from claimminer.model import Document
from claimminer.pipeline import build_pipeline, process

SENTENCES_PER_TEXT = 10


def craft_sentences(folder: Path) -> list[str]:
    """The `# text = ` line of every sentence in the CoNLL-U files under `folder`."""
    sentences = []
    for path in sorted(folder.glob("*.conllu")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# text = "):
                sentences.append(line.removeprefix("# text = ").strip())
    return sentences


def pseudo_abstracts(sentences: list[str], count: int, seed: int = 0) -> Iterator[Document]:
    """`count` different texts of ten sentences each, drawn with a fixed seed."""
    chooser = random.Random(seed)
    seen: set[int] = set()
    while len(seen) < count:
        picked = chooser.sample(range(len(sentences)), SENTENCES_PER_TEXT)
        key = hash(tuple(picked))
        if key in seen:
            continue
        seen.add(key)
        yield Document(id=f"pseudo-{len(seen)}", text=" ".join(sentences[i] for i in picked))


def resident_mb() -> float:
    """This process's current resident set in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    """This process's peak resident set so far in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Run the texts through one pipeline and print the memory after every `--every`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("craft", type=Path)
    parser.add_argument("--texts", type=int, default=20000)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--syntax", default="default")
    parser.add_argument("--recogniser", default="default")
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    sentences = craft_sentences(options.craft)
    if len(sentences) < 2 * SENTENCES_PER_TEXT:
        sys.exit(f"{options.craft}: too few CoNLL-U sentences ({len(sentences)})")
    nlp = build_pipeline(syntax=options.syntax, recogniser=options.recogniser, for_process=True)
    samples = []
    started = time.perf_counter()
    print(f"start-up: peak {peak_mb():.0f} MB, resident {resident_mb():.0f} MB", flush=True)
    documents = pseudo_abstracts(sentences, options.texts)
    for number, _ in enumerate(process(nlp, documents), start=1):
        if number % options.every == 0:
            sample = {
                "documents": number,
                "seconds": round(time.perf_counter() - started, 1),
                "peak_mb": round(peak_mb(), 1),
                "resident_mb": round(resident_mb(), 1),
            }
            samples.append(sample)
            print(json.dumps(sample), flush=True)
    half = next(s for s in samples if s["documents"] >= options.texts // 2)
    growth = samples[-1]["peak_mb"] / half["peak_mb"] - 1
    last = samples[-1]
    print(f"peak after {half['documents']}: {half['peak_mb']} MB; "
          f"after {last['documents']}: {last['peak_mb']} MB ({100 * growth:+.1f}%)")  # fmt: skip
    if options.json:
        options.json.write_text(json.dumps({"samples": samples, "growth": growth}, indent=1))


if __name__ == "__main__":
    main()
