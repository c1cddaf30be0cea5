"""The reference a scispaCy user runs: tok2vec + tagger + parser + ner, spaCy's CPU config.

scispaCy's trained pipelines cannot be downloaded here, and speed does not depend on the
weights, so this builds the same architecture from spaCy's own "efficiency" CPU config for
English (`spacy init config --pipeline tagger,parser,ner --optimize efficiency`), initialises
it with label sets of a biomedical pipeline's size (50 tags, 40 dependency labels, 5 entity
types) and untrained weights, and runs it over the same inputs as `claimminer extract`:

    python benchmarks/time_commands.py --runs 3
        --a "claimminer extract DIR -o /tmp/a.jsonl" --b "python benchmarks/scispacy_class.py DIR"
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy
from spacy.cli.init_config import init_config
from spacy.language import Language
from spacy.training import Example

TAGS = [f"T{n}" for n in range(50)]
DEPENDENCIES = [f"d{n}" for n in range(40)]
ENTITY_TYPES = ["PROTEIN", "CELL_TYPE", "CELL_LINE", "DNA", "RNA"]


def reference_pipeline() -> Language:
    """The scispaCy-class pipeline, initialised with untrained weights (seed 0)."""
    config = init_config(
        lang="en", pipeline=["tagger", "parser", "ner"], optimize="efficiency", gpu=False
    )
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    nlp.add_pipe("sentencizer", first=True)
    spacy.util.fix_random_seed(0)
    for tag in TAGS:
        nlp.get_pipe("tagger").add_label(tag)
    for label in DEPENDENCIES:
        nlp.get_pipe("parser").add_label(label)
    for label in ENTITY_TYPES:
        nlp.get_pipe("ner").add_label(label)
    words = ["IL-2", "activates", "T", "cells", "."]
    example = Example.from_dict(
        nlp.make_doc(" ".join(words)),
        {"tags": TAGS[:5], "heads": [1, 1, 3, 1, 1], "deps": ["d0", "ROOT", "d1", "d2", "d3"],
         "entities": ["U-PROTEIN", "O", "B-CELL_TYPE", "L-CELL_TYPE", "O"]},
    )  # fmt: skip
    nlp.initialize(lambda: [example])
    return nlp


def main() -> None:
    """Tag, parse and recognise every .txt file under the folder given."""
    folder = Path(sys.argv[1])
    nlp = reference_pipeline()
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))]
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
    print(f"{len(texts)} documents, {tokens} tokens")


if __name__ == "__main__":
    main()
