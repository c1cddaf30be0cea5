"""`claimminer train syntax|entities`: claimminer's models trained from the shared corpora.

The config (`configs/syntax.cfg`) is the source; the corpora are written from the treebanks
by `training.corpus` with a fixed split; spaCy's own training loop does the rest, on one
thread, with the config's seed. The output folder holds the corpora, spaCy's `model-best`
and `model-last`, and `training.json` with the sentence counts, conversions and command.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import spacy

from claimminer.errors import ClaimMinerError
from claimminer.pipeline import build_tokenizer
from claimminer.training.corpus import TreebankFiles, write_corpora
from claimminer.training.entity_corpus import write_entity_corpora


def default_config(name: str = "syntax") -> Path:
    """A training config shipped with claimminer (`syntax` or `entities`)."""
    return Path(str(resources.files("claimminer.training").joinpath(f"configs/{name}.cfg")))


def claimminer_tokenize() -> Any:
    """The tokenizer of claimminer's pipeline, as a function from text to token strings."""
    tokenizer = build_tokenizer(spacy.blank("en"))

    def tokenize(text: str) -> list[str]:
        return [token.text for token in tokenizer(text)]

    return tokenize


def train_syntax(
    treebanks: Path,
    output: Path,
    config: Path | None = None,
    overrides: dict[str, Any] | None = None,
    genia_weight: int = 5,
) -> dict[str, Any]:
    """Write the corpora and train; return what `training.json` records.

    Raises:
        ClaimMinerError: the treebanks or the config cannot be found.

    """
    config = config or default_config("syntax")
    if not config.is_file():
        raise ClaimMinerError(f"{config}: no such config")
    files = TreebankFiles.under(treebanks)
    corpus = output / "corpus"
    summary = write_corpora(files, corpus, claimminer_tokenize(), genia_weight=genia_weight)
    record = {"treebanks": str(treebanks), "genia_weight": genia_weight, **summary}
    return run_training(config, output, corpus, overrides, record)


def run_training(
    config: Path,
    output: Path,
    corpus: Path,
    overrides: dict[str, Any] | None,
    record: dict[str, Any],
    suffix: str = ".spacy",
) -> dict[str, Any]:
    """SpaCy's training loop on `corpus/train.spacy`, choosing on `corpus/tune.spacy`.

    With `suffix=""`, `corpus/train` and `corpus/tune` are folders of `.spacy` files.
    Writes `output/training.json` (the record, the config and the overrides) first.
    """
    from spacy.cli.train import train as spacy_train

    if not config.is_file():
        raise ClaimMinerError(f"{config}: no such config")
    settings = {
        "paths.train": str(corpus / f"train{suffix}"),
        "paths.dev": str(corpus / f"tune{suffix}"),
        **(overrides or {}),
    }
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    record = {
        "config": str(config),
        "overrides": {k: v for k, v in settings.items() if not k.startswith("paths.")},
        **record,
    }
    output.mkdir(parents=True, exist_ok=True)
    (output / "training.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    spacy_train(config, output, overrides=settings)
    return record


def train_entities(
    jnlpba: Path,
    ge11: Path,
    output: Path,
    config: Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write the entity corpora (see `entity_corpus`) and train the recogniser.

    Raises:
        ClaimMinerError: a corpus or the config cannot be found.

    """
    config = config or default_config("entities")
    corpus = output / "corpus"
    tokenizer = build_tokenizer(spacy.blank("en"))
    summary = write_entity_corpora(jnlpba, ge11, corpus, tokenizer)
    record = {"jnlpba": str(jnlpba), "ge11": str(ge11), **summary}
    return run_training(config, output, corpus, overrides, record)


def train_joint(
    treebanks: Path,
    jnlpba: Path,
    ge11: Path,
    output: Path,
    config: Path | None = None,
    overrides: dict[str, Any] | None = None,
    genia_weight: int = 5,
    entity_weight: int = 1,
) -> dict[str, Any]:
    """One encoder under tagger, parser and recogniser, from the treebanks and entity corpora.

    Each sentence teaches what its corpus annotates: a treebank sentence tags and heads (its
    entities are missing), an entity document its mentions (its tags and heads are missing).
    The corpora are written as for `train_syntax` and `train_entities`, then gathered per part
    in `corpus/train` and `corpus/tune`, the treebank file first: spaCy's dependency scorer
    carries the missing tokens of one document over to the next, so entity documents scored
    before treebank sentences would hide every head. `entity_weight` copies of the entity
    training file balance the two kinds of sentence.

    Raises:
        ClaimMinerError: a corpus or the config cannot be found.

    """
    config = config or default_config("joint")
    corpus = output / "corpus"
    tokenizer = build_tokenizer(spacy.blank("en"))
    syntax = write_corpora(
        TreebankFiles.under(treebanks), corpus / "syntax", claimminer_tokenize(), genia_weight
    )
    entities = write_entity_corpora(jnlpba, ge11, corpus / "entities", tokenizer)
    for part in ("train", "tune"):
        folder = corpus / part
        folder.mkdir(parents=True, exist_ok=True)
        copies = entity_weight if part == "train" else 1
        sources = ["syntax", *["entities"] * copies]
        for order, source in enumerate(sources):
            written = corpus / source / f"{part}.spacy"
            (folder / f"{order}-{source}.spacy").write_bytes(written.read_bytes())
    record = {
        "treebanks": str(treebanks), "genia_weight": genia_weight, "jnlpba": str(jnlpba),
        "ge11": str(ge11), "entity_weight": entity_weight, "syntax": syntax,
        "entities": entities,
    }  # fmt: skip
    return run_training(config, output, corpus, overrides, record, suffix="")
