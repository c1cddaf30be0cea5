"""The throughput floor: spaCy's blank English pipeline with a sentencizer, nothing else.

Reads the same inputs as `claimminer extract` (a folder of .txt files) and writes one line per
document, so the two whole-process times compare what claimminer adds to spaCy's own cost:

    python benchmarks/time_commands.py --runs 5
        --a "claimminer extract DIR -o /tmp/a.jsonl" --b "python benchmarks/spacy_floor.py DIR"
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy


def main() -> None:
    """Tokenize and split sentences for every .txt file under the folder given."""
    folder = Path(sys.argv[1])
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))]
    sentences = sum(len(list(doc.sents)) for doc in nlp.pipe(texts, batch_size=64))
    print(f"{len(texts)} documents, {sentences} sentences")


if __name__ == "__main__":
    main()
