"""Treebank reading, label reconciliation, retokenisation and the parse scores."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimminer.errors import DataFileError
from claimminer.training.treebank import (
    TreebankSentence,
    is_tree,
    read_treebank,
    reconcile,
    retokenize,
)
from claimminer.treebank_scores import Parse, score_parses


def conll(rows: list[tuple[str, str, int, str]], misc: dict[int, str] | None = None) -> str:
    """CoNLL lines from (form, tag, head, label) rows; heads are 1-based, 0 for the root."""
    misc = misc or {}
    lines = [
        f"{i}\t{form}\t_\t{tag}\t{tag}\t_\t{head}\t{label}\t_\t{misc.get(i, '_')}"
        for i, (form, tag, head, label) in enumerate(rows, start=1)
    ]
    return "\n".join(lines) + "\n\n"


def sentence_of(rows: list[tuple[str, str, int, str]], tmp_path: Path) -> TreebankSentence:
    path = tmp_path / "one.conllx"
    path.write_text(conll(rows), encoding="utf-8")
    (sentence,) = read_treebank(path)
    return sentence


def test_treebank_reads_conllu_spacing_comments_and_brackets(tmp_path: Path) -> None:
    path = tmp_path / "a.conllu"
    rows = [("IL-2", "NN", 2, "nsubj"), ("acts", "VBZ", 0, "root"), ("-LRB-", "-LRB-", 4, "punct"),
            ("T", "NN", 2, "dobj"), ("-RRB-", "-RRB-", 4, "punct")]  # fmt: skip
    spacing = {3: "SpaceAfter=No", 4: "SpaceAfter=No"}
    multiword = "1-2\tx\t_\t_\t_\t_\t_\t_\t_\t_\n"
    path.write_text("# sent_id = 1\n" + multiword + conll(rows, spacing), encoding="utf-8")
    (sentence,) = read_treebank(path)
    assert sentence.words == ("IL-2", "acts", "(", "T", ")")
    assert sentence.text == "IL-2 acts (T) "
    assert sentence.heads == (1, 1, 3, 1, 3)
    assert sentence.deps[1] == "ROOT"
    assert sentence.source == f"{path}:3"


def test_treebank_brackets_inside_a_word(tmp_path: Path) -> None:
    sentence = sentence_of([("-LSB-Ca2+-RSB-i", "NN", 0, "root")], tmp_path)
    assert sentence.words == ("[Ca2+]i",)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("1\tIL-2\t_\tNN\n", "expected 10 columns, found 4"),
        ("1\tIL-2\t_\tNN\tNN\t_\t5\tnsubj\t_\t_\n", "head '5' is not a token"),
        ("2\tIL-2\t_\tNN\tNN\t_\t0\troot\t_\t_\n", "token id '2', expected 1"),
    ],
)
def test_treebank_bad_lines_name_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "bad.conllx"
    path.write_text("# a comment\n" + line, encoding="utf-8")
    with pytest.raises(DataFileError, match=problem) as raised:
        list(read_treebank(path))
    assert str(raised.value).startswith(f"{path}:2:")


def test_treebank_renames_stanford_labels(tmp_path: Path) -> None:
    rows = [("IL-2", "NN", 2, "nn"), ("gene", "NN", 0, "root"), ("2", "CD", 2, "num")]
    counts: Counter[str] = Counter()
    reconciled = reconcile(sentence_of(rows, tmp_path), counts)
    assert reconciled.deps == ("compound", "ROOT", "nummod")
    assert counts["nn -> compound"] == 1 and counts["num -> nummod"] == 1


def test_treebank_copula_becomes_the_head(tmp_path: Path) -> None:
    """GENIA: 'IL-2 is not a cytokine .' hangs 'is' off 'cytokine'; spaCy makes 'is' the head."""
    rows = [("IL-2", "NN", 5, "nsubj"), ("is", "VBZ", 5, "cop"), ("not", "RB", 5, "neg"),
            ("a", "DT", 5, "det"), ("cytokine", "NN", 0, "root"),
            (".", ".", 5, "punct")]  # fmt: skip
    reconciled = reconcile(sentence_of(rows, tmp_path))
    assert reconciled.heads == (1, 1, 1, 4, 1, 1)
    assert reconciled.deps == ("nsubj", "ROOT", "neg", "det", "attr", "punct")
    assert is_tree(reconciled)


def test_treebank_adjectival_predicate_is_acomp_and_keeps_its_adverb(tmp_path: Path) -> None:
    rows = [("IL-2", "NN", 4, "nsubj"), ("is", "VBZ", 4, "cop"), ("highly", "RB", 4, "advmod"),
            ("active", "JJ", 0, "root")]  # fmt: skip
    reconciled = reconcile(sentence_of(rows, tmp_path))
    assert reconciled.deps == ("nsubj", "ROOT", "advmod", "acomp")
    assert reconciled.heads == (1, 1, 3, 1)


def test_treebank_multiword_expressions(tmp_path: Path) -> None:
    """'such as' -> such amod as; 'as well as': the last 'as' heads as a cc (CRAFT's way)."""
    rows = [("IL-2", "NN", 0, "root"), ("as", "RB", 3, "advmod"), ("well", "RB", 1, "cc"),
            ("as", "IN", 3, "mwe"), ("IL-4", "NN", 1, "conj")]  # fmt: skip
    reconciled = reconcile(sentence_of(rows, tmp_path))
    assert reconciled.deps == ("ROOT", "advmod", "advmod", "cc", "conj")
    assert reconciled.heads == (0, 3, 3, 0, 0)
    rows = [("factors", "NNS", 0, "root"), ("such", "JJ", 3, "mwe"), ("as", "IN", 1, "prep"),
            ("IL-2", "NN", 3, "pobj")]  # fmt: skip
    assert reconcile(sentence_of(rows, tmp_path)).deps == ("ROOT", "amod", "prep", "pobj")


def test_treebank_vmod_and_passive_by(tmp_path: Path) -> None:
    rows = [("IL-6", "NN", 0, "root"), ("induced", "VBN", 1, "vmod"), ("by", "IN", 2, "prep"),
            ("IL-1", "NN", 3, "pobj")]  # fmt: skip
    reconciled = reconcile(sentence_of(rows, tmp_path))
    assert reconciled.deps == ("ROOT", "acl", "agent", "pobj")


def test_treebank_perfect_by_is_no_agent(tmp_path: Path) -> None:
    rows = [("it", "PRP", 3, "nsubj"), ("has", "VBZ", 3, "aux"), ("risen", "VBN", 0, "root"),
            ("by", "IN", 3, "prep"), ("half", "NN", 4, "pobj")]  # fmt: skip
    assert reconcile(sentence_of(rows, tmp_path)).deps[3] == "prep"


def split_hyphens(text: str) -> list[str]:
    """A stand-in tokenizer: cuts 'X-induced' like claimminer's, keeps 'IL-2' whole."""
    if text.endswith("-induced"):
        return [text[: -len("-induced")], "-", "induced"]
    return [text]


def test_treebank_retokenize_splits_a_word_and_keeps_its_head(tmp_path: Path) -> None:
    rows = [("IL-2-induced", "JJ", 2, "amod"), ("proliferation", "NN", 0, "root")]
    counts: Counter[str] = Counter()
    split = retokenize(sentence_of(rows, tmp_path), split_hyphens, counts)
    assert split.words == ("IL-2", "-", "induced", "proliferation")
    assert split.heads == (2, 2, 3, 3)
    assert split.deps == ("npadvmod", "punct", "amod", "ROOT")
    assert split.tags == ("NN", "HYPH", "JJ", "NN")
    assert split.spaces == (False, False, True, True)
    assert counts["split-word piece"] == 2 and is_tree(split)


def test_treebank_retokenize_joins_words_written_together(tmp_path: Path) -> None:
    """CRAFT cuts 'IL-2' into 'IL - 2'; claimminer's tokenizer keeps it whole."""
    path = tmp_path / "joined.conllu"
    rows = [("IL", "NN", 3, "compound"), ("-", "HYPH", 3, "punct"), ("2", "CD", 4, "nmod"),
            ("acts", "VBZ", 0, "root")]  # fmt: skip
    path.write_text(conll(rows, {1: "SpaceAfter=No", 2: "SpaceAfter=No"}), encoding="utf-8")
    (sentence,) = read_treebank(path)
    joined = retokenize(sentence, lambda text: [text])
    assert joined.words == ("IL-2", "acts")
    assert joined.heads == (1, 1)
    assert joined.deps == ("nmod", "ROOT")
    assert joined.tags == ("NN", "VBZ")  # a number's tag would mislead: a name is a noun


def test_treebank_retokenize_leaves_a_sentence_that_needs_nothing(tmp_path: Path) -> None:
    sentence = sentence_of([("IL-2", "NN", 2, "nsubj"), ("acts", "VBZ", 0, "root")], tmp_path)
    assert retokenize(sentence, lambda text: [text]) is sentence


def test_treebank_is_tree_rejects_cycles_and_two_roots() -> None:
    base = TreebankSentence("s", ("a", "b"), (True, True), ("NN", "NN"), (1, 0), ("x", "y"))
    assert not is_tree(base)
    assert not is_tree(TreebankSentence("s", ("a", "b"), (True, True), ("NN", "NN"), (0, 1),
                                        ("ROOT", "ROOT")))  # fmt: skip
    assert is_tree(TreebankSentence("s", ("a", "b"), (True, True), ("NN", "NN"), (1, 1),
                                    ("dep", "ROOT")))  # fmt: skip


def sentence(heads: tuple[int, ...], deps: tuple[str, ...]) -> TreebankSentence:
    words = tuple(f"w{i}" for i in range(len(heads)))
    return TreebankSentence("s", words, (True,) * len(heads), ("NN",) * len(heads), heads, deps)


@given(st.lists(st.sampled_from(["nsubj", "dobj", "punct", "amod"]), min_size=1, max_size=12))
def test_treebank_scores_a_perfect_parse_scores_one(labels: list[str]) -> None:
    heads = tuple(0 for _ in labels)
    deps = ("ROOT", *labels[1:])
    gold = sentence(heads, deps)
    scores = score_parses([gold], [Parse(gold.tags, gold.heads, gold.deps)]).as_dict()
    assert scores["tag_accuracy"] == 1.0 and scores["uas_with_punct"] == 1.0
    assert scores["uas"] in (1.0, 0.0)  # 0.0 only when every arc is punctuation
    assert all(row["f1"] == 1.0 for row in scores["per_label"].values())


def test_treebank_scores_count_heads_labels_and_leave_punctuation_out() -> None:
    gold = sentence((1, 1, 1, 1), ("nsubj", "ROOT", "dobj", "punct"))
    predicted = Parse(("NN", "VB", "NN", "NN"), (1, 1, 0, 2), ("nsubj", "ROOT", "nsubj", "punct"))
    scores = score_parses([gold], [predicted]).as_dict()
    assert scores["tag_accuracy"] == 0.75
    assert scores["uas"] == round(2 / 3, 4)  # the punctuation's wrong head is left out
    assert scores["las"] == round(2 / 3, 4)
    assert scores["uas_with_punct"] == 0.5
    assert scores["per_label"]["dobj"] == {"gold": 1, "precision": 0.0, "recall": 0.0,
                                           "f1": 0.0, "tp": 0, "fp": 0, "fn": 1}  # fmt: skip
    assert scores["per_label"]["nsubj"]["fp"] == 1
    assert set(scores) >= {"tag_accuracy", "uas", "las", "sentences", "per_label"}


def test_treebank_scores_reject_a_misaligned_parse() -> None:
    gold = sentence((0,), ("ROOT",))
    with pytest.raises(ValueError, match="parse has 2 tokens"):
        score_parses([gold], [Parse(("NN", "NN"), (0, 0), ("ROOT", "dep"))])
