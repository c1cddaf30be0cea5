"""The HTML report: self-contained, and what a reader sees in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimminer.cli import app
from claimminer.model import Claim, Document, Mention
from claimminer.network import build_network
from claimminer.report import render_report

SEED = ("bemiss2002", "il2-overview", "il2-tcgf")


def tiny() -> Document:
    text = "IL-2 increases IFN-gamma </script><script>alert(1)</script>."
    mentions = (Mention("E1", 0, 4, "IL-2", "CYTOKINE", "HGNC:6001", "IL2"),
                Mention("E2", 15, 24, "IFN-gamma", "CYTOKINE", "HGNC:5438", "IFNG"))  # fmt: skip
    claim = Claim("C1", "E1", "increases", "E2", sentence_start=0, sentence_end=len(text))
    return Document("d", text, mentions, (claim,))


def test_report_fetches_nothing_and_escapes_the_text() -> None:
    page = render_report([tiny()], build_network([tiny()]), None)
    assert not re.search(r"""(src|href)=["']?https?:|@import|url\(""", page)
    # the only "<script" tags are the page's own two; the text's are escaped or neutralised
    assert page.count("<script") == 2
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page  # in the document section
    assert "\\u003c/script>" in page  # in the embedded JSON


def test_report_says_which_mentions_the_recogniser_found() -> None:
    text = "Kramin-2 increases IL-2."
    mentions = (Mention("E1", 0, 8, "Kramin-2", "PROTEIN", source="model"),
                Mention("E2", 19, 23, "IL-2", "CYTOKINE", "HGNC:6001", "IL2", "both"))  # fmt: skip
    document = Document("d", text, mentions, (Claim("C1", "E1", "increases", "E2"),))
    page = render_report([document], build_network([document]), None)
    assert 'title="PROTEIN (ungrounded), found by the recogniser"' in page
    assert 'title="CYTOKINE HGNC:6001, lexicon and recogniser"' in page


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


def test_report_renders_in_headless_chromium(tmp_path: Path, corpus_dir: Path) -> None:
    """What a reader sees: the drawing is not empty and the tables are filled.

    The drawing and the edge table are built by the page's script, so they exist in the
    rendered DOM only if the page works in a real browser. CI installs Debian's chromium; a
    machine without it skips, a CI run without it fails.
    """
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it")
        pytest.skip("chromium is not installed")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in SEED:
        (corpus / f"{name}.txt").write_bytes((corpus_dir / f"{name}.txt").read_bytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["run", str(corpus), "--gold", str(corpus_dir.parent / "gold"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = out / "report.html"
    assert page.exists()
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    svg = dom[dom.index('<svg id="network"') : dom.index("</svg>")]
    assert svg.count("<circle") >= 10  # IL-2, IFN-gamma, IL-10, 1,25D3, T cells, NK cells, ...
    assert svg.count("<line") >= 10
    assert "colitis" in svg and "IL2" in svg
    edges = dom[dom.index('<table id="edges"') :]
    edges = edges[: edges.index("</table>")]
    assert edges.count("<tr>") >= 11  # header and at least ten edges
    assert '<mark class="CYTOKINE"' in dom  # documents with entities highlighted
    assert "Micro scores" in dom and "claims, strict" in dom  # the evaluation tables
