"""The one-pass parenthesis search gives scispaCy's detector what its Matcher gave it."""

from __future__ import annotations

from pathlib import Path

import spacy
from hypothesis import given
from hypothesis import strategies as st
from spacy.matcher import Matcher

from claimminer.abbreviations import ABBREVIATION_COMPONENT, ParenthesesMatcher
from claimminer.pipeline import build_pipeline

NLP = spacy.blank("en")


def _spacy_matcher() -> Matcher:
    """The search scispaCy's detector builds for itself."""
    matcher = Matcher(NLP.vocab)
    matcher.add("parenthesis", [[{"ORTH": "("}, {"OP": "+"}, {"ORTH": ")"}]])
    return matcher


@given(st.lists(st.sampled_from(["(", ")", "IL-2", "cells", "(IL"]), max_size=40))
def test_abbreviations_same_stretches_in_the_same_order_as_the_matcher(words: list[str]) -> None:
    doc = spacy.tokens.Doc(NLP.vocab, words=words)
    assert ParenthesesMatcher(NLP.vocab)(doc) == _spacy_matcher()(doc)


def test_abbreviations_same_stretches_on_the_authored_corpus(
    corpus_dir: Path, gold_dir: Path
) -> None:
    matcher, ours = _spacy_matcher(), ParenthesesMatcher(NLP.vocab)
    paths = [*corpus_dir.glob("*.txt"), *gold_dir.glob("*.txt")]
    texts = [path.read_text(encoding="utf-8") for path in sorted(paths)]
    compared = 0
    for doc in NLP.pipe(texts):
        expected = matcher(doc)
        assert ours(doc) == expected
        compared += len(expected)
    assert compared >= 100


def test_abbreviations_pipeline_detector_uses_the_one_pass_search() -> None:
    nlp = build_pipeline(syntax="none", recogniser="none")
    detector = nlp.get_pipe(ABBREVIATION_COMPONENT)
    assert isinstance(detector.matcher, ParenthesesMatcher)  # type: ignore[attr-defined]
    with nlp.select_pipes(
        enable=nlp.pipe_names[: nlp.pipe_names.index(ABBREVIATION_COMPONENT) + 1]
    ):
        doc = nlp("Interleukin-2 (IL-2) drives T cells; IL-2 also acts on NK cells.")
    assert [(a.text, a._.long_form.text) for a in doc._.abbreviations] == [
        ("IL-2", "Interleukin-2"),
        ("IL-2", "Interleukin-2"),
    ]
