"""The syntax component (which sentences are parsed, what is written) and its training."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimminer.cli import app
from claimminer.errors import ClaimMinerError
from claimminer.syntax import load_syntax, shipped_model_path
from claimminer.training.corpus import TreebankFiles, genia_split
from claimminer.training.treebank import read_treebank

runner = CliRunner()

CRAFT = """# text = IL-2 activates T cells.
1\tIL\t_\tNOUN\tNN\t_\t3\tcompound\t_\tSpaceAfter=No
2\t-\t_\tPUNCT\tHYPH\t_\t3\tpunct\t_\tSpaceAfter=No
3\t2\t_\tNUM\tCD\t_\t4\tnsubj\t_\t_
4\tactivates\t_\tVERB\tVBZ\t_\t0\troot\t_\t_
5\tT\t_\tNOUN\tNN\t_\t6\tcompound\t_\t_
6\tcells\t_\tNOUN\tNNS\t_\t4\tdobj\t_\tSpaceAfter=No
7\t.\t_\tPUNCT\t.\t_\t4\tpunct\t_\t_

"""
GENIA = """1\tIL-4-induced\t_\tJJ\tJJ\t_\t2\tamod\t_\t_
2\tSTAT6\t_\tNN\tNN\t_\t3\tnsubj\t_\t_
3\tbinds\t_\tVBZ\tVBZ\t_\t0\troot\t_\t_
4\tDNA\t_\tNN\tNN\t_\t3\tdobj\t_\t_
5\t.\t_\t.\t.\t_\t3\tpunct\t_\t_

1\tIL-10\t_\tNN\tNN\t_\t3\tnsubj\t_\t_
2\tis\t_\tVBZ\tVBZ\t_\t3\tcop\t_\t_
3\tinhibitory\t_\tJJ\tJJ\t_\t0\troot\t_\t_
4\t.\t_\t.\t.\t_\t3\tpunct\t_\t_

"""


def tiny_treebanks(folder: Path) -> Path:
    (folder / "craft").mkdir(parents=True)
    (folder / "genia").mkdir()
    (folder / "craft" / "1.conllu").write_text(CRAFT * 3, encoding="utf-8")
    (folder / "genia" / "future_use.sd.conllx").write_text(GENIA * 10, encoding="utf-8")
    pmids = "\n".join(str(1000 + n // 2) for n in range(20))
    (folder / "genia" / "future_use.pmids").write_text(pmids + "\n", encoding="utf-8")
    (folder / "genia" / "dev.sd.conllx").write_text(GENIA, encoding="utf-8")
    return folder


def test_syntax_only_sentences_that_can_hold_a_claim_are_parsed(nlp) -> None:
    text = (
        "A title about T cells\nThe weather was fine in Paris. IL-2 induces IFN-gamma in "
        "NK cells. Nothing else happened."
    )
    doc = nlp(text)
    assert [s.text.strip() for s in doc.sents] == [
        "A title about T cells", "The weather was fine in Paris.",
        "IL-2 induces IFN-gamma in NK cells.", "Nothing else happened.",
    ]  # fmt: skip
    assert doc._.parsed_sentences == frozenset({text.index("IL-2")})
    parsed = next(s for s in doc.sents if s.start_char == text.index("IL-2"))
    assert {t.dep_ for t in parsed} >= {"nsubj", "dobj"}
    weather = next(s for s in doc.sents if "weather" in s.text)
    assert all(t.dep_ in ("", "ROOT") for t in weather)


def test_syntax_none_leaves_the_parser_out(nlp_surface) -> None:
    assert "claimminer_syntax" not in nlp_surface.pipe_names
    doc = nlp_surface("IL-2 induces IFN-gamma in NK cells.")
    assert not doc.has_annotation("DEP")


def test_syntax_the_shipped_model_is_in_the_package() -> None:
    path = shipped_model_path()
    assert (path / "config.cfg").is_file() and (path / "meta.json").is_file()
    assert {"tagger", "parser"} <= set(load_syntax().pipe_names)


def test_syntax_trained_pipelines_load_without_their_saved_tokenizer() -> None:
    from claimminer.recogniser import load_recogniser
    from claimminer.trained import WordsGivenTokenizer

    for trained in (load_syntax(), load_recogniser()):
        assert isinstance(trained.tokenizer, WordsGivenTokenizer)
        doc = trained("IL-2 induces IFN-gamma in NK cells .")
        assert [t.text for t in doc] == ["IL-2", "induces", "IFN-gamma", "in", "NK", "cells", "."]
    parsed = load_syntax()("IL-2 induces IFN-gamma in NK cells .")
    assert parsed[1].dep_ == "ROOT" and parsed[0].head.i == 1


def test_syntax_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ClaimMinerError, match="no trained syntax pipeline"):
        load_syntax(str(tmp_path))


def test_syntax_genia_split_is_by_abstract(tmp_path: Path) -> None:
    files = TreebankFiles.under(tiny_treebanks(tmp_path / "tb"))
    sentences = list(read_treebank(files.genia_train))
    pmids = files.genia_train_pmids.read_text(encoding="utf-8").split()
    train, tune = genia_split(sentences, pmids)
    assert len(train) + len(tune) == 20
    assert len(tune) == 2  # the 10th of 10 abstracts, both its sentences


def test_syntax_missing_treebank_part_is_named(tmp_path: Path) -> None:
    folder = tiny_treebanks(tmp_path / "tb")
    (folder / "genia" / "dev.sd.conllx").unlink()
    with pytest.raises(ClaimMinerError, match=r"dev\.sd\.conllx: missing"):
        TreebankFiles.under(folder)


def test_syntax_train_a_few_steps_then_score_with_bench_treebank(
    tmp_path: Path, tiny_training: list[str]
) -> None:
    """CI never trains a full model: three steps on a tiny treebank prove the command works."""
    folder = tiny_treebanks(tmp_path / "tb")
    out = tmp_path / "model"
    result = runner.invoke(app, [
        "train", "syntax", "--treebanks", str(folder), "-o", str(out),
        *tiny_training,
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert record["sentences"]["genia_future_use"] > 0 and record["sentences"]["tune"] == 2
    assert record["conversions"]["cop -> verb heads attr/acomp"] == 9
    assert (out / "model-best" / "config.cfg").is_file()
    scores = tmp_path / "scores.json"
    result = runner.invoke(app, [
        "bench", "treebank", str(folder / "genia" / "dev.sd.conllx"),
        "--model", str(out / "model-best"), "--json", str(scores),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(scores.read_text(encoding="utf-8"))
    assert data["sentences"] == 2 and 0.0 <= data["las"] <= data["uas"] <= 1.0
    assert "tag accuracy" in result.output


def test_syntax_bench_treebank_on_the_shipped_model(tmp_path: Path) -> None:
    path = tmp_path / "one.conllx"
    path.write_text(GENIA, encoding="utf-8")
    result = runner.invoke(app, ["bench", "treebank", str(path)])
    assert result.exit_code == 0, result.output
    assert "UAS" in result.output and "LAS" in result.output


def test_syntax_train_bad_setting_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "syntax", "--treebanks", str(tmp_path), "-o",
                                 str(tmp_path / "o"), "--set", "max_steps"])  # fmt: skip
    assert result.exit_code == 1
    assert "expected SECTION.KEY=VALUE" in result.output


@pytest.mark.parametrize("syntax", ["default", "accurate"])
def test_syntax_both_shipped_parsers_read_far_arguments(tmp_path: Path, syntax: str) -> None:
    """`--syntax accurate` parses with `models/syntax`, the default with `models/joint`."""
    from claimminer.pipeline import syntax_model_location
    from claimminer.syntax import shipped_accurate_model_path

    accurate = shipped_accurate_model_path()
    assert syntax_model_location("accurate") == str(accurate) != str(shipped_model_path())
    assert syntax_model_location("default") is None
    assert {"tagger", "parser"} <= set(load_syntax(str(accurate)).pipe_names)
    text = tmp_path / "far.txt"
    text.write_text("IL-12, a cytokine made early in the infection, induces IL-10.\n")
    found = {}
    for choice in (syntax, "none"):
        out = tmp_path / f"{choice}.jsonl"
        result = CliRunner().invoke(app, ["extract", str(text), "-o", str(out), "--syntax", choice])
        assert result.exit_code == 0, result.output
        record = json.loads(out.read_text(encoding="utf-8"))
        names = {e["id"]: e["text"] for e in record["entities"]}
        found[choice] = {(names[c["subject"]], c["predicate"], names[c["object"]])
                         for c in record["claims"]}  # fmt: skip
    assert ("IL-12", "increases", "IL-10") in found[syntax] - found["none"]
