"""The benchmark references run and process what `claimminer extract` processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_reference(script: str, folder: Path) -> str:
    command = [sys.executable, str(ROOT / "benchmarks" / script), str(folder)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_benchmarks_references_read_every_text(tmp_path: Path, corpus_dir: Path) -> None:
    for name in ("bemiss2002", "il2-tcgf"):
        (tmp_path / f"{name}.txt").write_bytes((corpus_dir / f"{name}.txt").read_bytes())
    assert run_reference("spacy_floor.py", tmp_path).startswith("2 documents")
    output = run_reference("scispacy_class.py", tmp_path)
    assert output.startswith("2 documents")
    assert int(output.split(", ")[1].split()[0]) > 200  # tokens tagged, parsed, recognised


def test_benchmarks_reference_pipeline_has_the_scispacy_architecture() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from scispacy_class import reference_pipeline
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    nlp = reference_pipeline()
    assert nlp.pipe_names == ["sentencizer", "tok2vec", "tagger", "parser", "ner"]
    doc = nlp("IL-2 activates T cells. They divide.")
    assert doc.has_annotation("TAG") and doc.has_annotation("DEP")


CONLLU = """# text = IL-2 drives T cell growth.
1\tIL-2\t_\t_\t_\t_\t2\tnsubj\t_\t_

# text = NK cells make IFN-gamma.
1\tNK\t_\t_\t_\t_\t2\tcompound\t_\t_
"""


def test_benchmarks_memory_run_reports_every_sample_on_different_texts(tmp_path: Path) -> None:
    craft = tmp_path / "craft"
    craft.mkdir()
    for number in range(12):  # 24 sentences in all, two per file
        text = CONLLU.replace("IL-2", f"IL-{number}").replace("NK", f"NK{number}")
        (craft / f"{number}.conllu").write_text(text, encoding="utf-8")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from memory_run import craft_sentences, pseudo_abstracts
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    sentences = craft_sentences(craft)
    assert len(sentences) == 24 and sentences[0] == "IL-0 drives T cell growth."
    texts = [document.text for document in pseudo_abstracts(sentences, 50)]
    assert len(set(texts)) == 50 and all(t.count(".") == 10 for t in texts)
    options = ["--texts", "40", "--every", "10", "--syntax", "none", "--recogniser", "none"]
    command = [sys.executable, str(ROOT / "benchmarks" / "memory_run.py"), str(craft), *options]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"documents"') == 4
    assert "peak after 20:" in result.stdout
