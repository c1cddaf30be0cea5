"""A joint pipeline (one encoder under tagger, parser and recogniser) encodes a sentence once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import fix_random_seed
from tests.test_recogniser import tiny_corpora
from tests.test_syntax import tiny_treebanks
from typer.testing import CliRunner

from claimminer.cli import app
from claimminer.pipeline import (
    build_pipeline,
    doc_to_document,
    recogniser_model_location,
    same_pipeline,
    syntax_model_location,
)
from claimminer.recogniser import RECOGNISER_COMPONENT, recognise
from claimminer.syntax import parse_words, shipped_model_path

SENTENCES = [
    (["IL-2", "activates", "T", "cells", "."], [True, True, True, False, False]),
    (["IFN-gamma", "inhibits", "IL-4", "in", "mice", "."], [True, True, True, True, False, False]),
]
TEXT = "IL-2 activates NK cells and IL-10 inhibits IFN-gamma in macrophages. Nothing here."


def _tiny_joint(path: Path) -> Language:
    """A joint pipeline taught one sentence: enough for its output to follow its encoder's."""
    nlp = spacy.blank("en")
    encoder = {"@architectures": "spacy.HashEmbedCNN.v2", "width": 16, "depth": 1,
               "embed_size": 100, "window_size": 1, "maxout_pieces": 2,
               "subword_features": True, "pretrained_vectors": None}  # fmt: skip
    nlp.add_pipe("tok2vec", config={"model": encoder})
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 16, "upstream": "tok2vec"}
    nlp.add_pipe("tagger", config={"model": {"@architectures": "spacy.Tagger.v2",
                                             "tok2vec": listener}})  # fmt: skip
    for name, state in (("parser", "parser"), ("ner", "ner")):
        model = {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": state,
                 "hidden_width": 8, "maxout_pieces": 2, "use_upper": True,
                 "extra_state_tokens": False, "tok2vec": listener}  # fmt: skip
        extra = {"min_action_freq": 1} if state == "parser" else {}
        nlp.add_pipe(name, config={"model": model, **extra})
    annotated = [
        (["IL-2", "activates", "NK", "cells"], ["U-PROTEIN", "O", "B-CELL_TYPE", "L-CELL_TYPE"]),
        (["IL-10", "inhibits", "macrophages"], ["U-PROTEIN", "O", "U-CELL_TYPE"]),
    ]
    examples = [
        Example.from_dict(Doc(nlp.vocab, words=words), {
            "tags": ["NN", "VBZ", *["NNS"] * (len(words) - 2)],
            "heads": [1, 1, *[len(words) - 1] * (len(words) - 3), 1],
            "deps": ["nsubj", "ROOT", *["compound"] * (len(words) - 3), "dobj"],
            "entities": entities,
        })
        for words, entities in annotated
    ]  # fmt: skip
    fix_random_seed(0)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):  # a few updates, so that the output depends on the input
        nlp.update(examples, sgd=optimizer)
    nlp.to_disk(path)
    return nlp


@pytest.fixture(scope="module")
def joint_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("joint") / "model"
    _tiny_joint(path)
    return path


def test_shared_encoder_parses_from_handed_encodings_as_from_words(joint_path: Path) -> None:
    joint = spacy.load(joint_path)
    tensors = [doc.tensor for doc in recognise(joint, SENTENCES)]
    assert all(t.shape == (len(w), 16) for t, (w, _) in zip(tensors, SENTENCES, strict=True))
    again = list(parse_words(joint, SENTENCES))
    handed = list(parse_words(joint, SENTENCES, encodings=tensors))
    assert handed == again
    # the handed encodings are really read: other vectors give another parse
    zeroed = list(parse_words(joint, SENTENCES, encodings=[t * 0 for t in tensors]))
    assert zeroed != again


def test_shared_encoder_the_shipped_default_is_one_joint_pipeline() -> None:
    """`default` names models/joint for both; `accurate` the separate models, never shared."""
    assert recogniser_model_location("default") is None and syntax_model_location("default") is None
    assert same_pipeline(None, None)
    accurate = (recogniser_model_location("accurate"), syntax_model_location("accurate"))
    assert accurate[0] is not None and accurate[0].endswith("entities")
    assert accurate[1] is not None and accurate[1].endswith("syntax")
    assert not same_pipeline(*accurate)
    shipped = spacy.load(shipped_model_path())
    assert shipped.pipe_names == ["tok2vec", "tagger", "parser", "ner"]
    nlp = build_pipeline()
    assert nlp.get_pipe(RECOGNISER_COMPONENT).share_encodings
    assert not build_pipeline(syntax="accurate").get_pipe(RECOGNISER_COMPONENT).share_encodings


def test_shared_encoder_the_pipeline_shares_only_one_joint_model(joint_path: Path) -> None:
    path = str(joint_path)
    nlp = build_pipeline(syntax=path, recogniser=path)
    component = nlp.get_pipe(RECOGNISER_COMPONENT)
    assert component.share_encodings
    assert not build_pipeline(recogniser=path).get_pipe(RECOGNISER_COMPONENT).share_encodings
    encoder = component.recogniser.get_pipe("tok2vec")
    encoded: list[int] = []
    predict = encoder.predict

    def counting(docs):
        encoded.extend(len(doc) for doc in docs)
        return predict(docs)

    encoder.predict = counting
    try:
        doc = nlp(TEXT)
        once = list(encoded)
        component.share_encodings = False
        apart = nlp(TEXT)
    finally:
        component.share_encodings = True
        del encoder.predict
    assert doc._.sentence_encodings is None  # released by the syntax component
    assert doc._.parsed_sentences  # the first sentence was chosen and parsed
    # shared: each of the two sentences encoded once; apart, the parsed one a second time
    assert len(once) == 2 and len(encoded) == 2 + 2 + 1
    assert doc_to_document(doc, "d") == doc_to_document(apart, "d")
    assert [(t.tag_, t.head.i, t.dep_) for t in doc] == [(t.tag_, t.head.i, t.dep_) for t in apart]


def test_shared_encoder_train_joint_a_few_steps_then_extract_with_it(
    tmp_path: Path, tiny_training: list[str]
) -> None:
    """CI never trains a full model: three steps on tiny corpora prove the command works."""
    treebanks = tiny_treebanks(tmp_path / "tb")
    jnlpba, ge11 = tiny_corpora(tmp_path / "corpora")
    out = tmp_path / "model"
    result = CliRunner().invoke(app, [
        "train", "joint", "--treebanks", str(treebanks), "--jnlpba", str(jnlpba),
        "--ge11", str(ge11), "-o", str(out), "--entity-weight", "2", *tiny_training,
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert record["syntax"]["sentences"]["tune"] == 2
    assert record["entities"]["documents"]["jnlpba tune"] == 1
    # each part holds both corpora, the treebank first (see train_joint)
    assert sorted(p.name for p in (out / "corpus" / "tune").iterdir()) == [
        "0-syntax.spacy", "1-entities.spacy",
    ]  # fmt: skip
    assert sorted(p.name for p in (out / "corpus" / "train").iterdir()) == [
        "0-syntax.spacy", "1-entities.spacy", "2-entities.spacy",
    ]  # fmt: skip
    model = spacy.load(out / "model-best")
    assert model.pipe_names == ["tok2vec", "tagger", "parser", "ner"]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, [
        "extract", str(tmp_path / "in"), "-o", str(tmp_path / "a.jsonl"),
        "--syntax", str(out / "model-best"), "--recogniser", str(out / "model-best"),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "a.jsonl").read_text(encoding="utf-8"))["entities"]
