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
