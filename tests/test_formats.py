"""Input formats: PubMed XML, BioC XML/JSON, PubTator, plain text; gzipped or not."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from claimminer.errors import InputError
from claimminer.formats import InputFormat, detect_format, read_documents, read_pubmed

PUBMED = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE PubmedArticleSet>
<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">111</PMID>
<Article><ArticleTitle>IL-12 induces IFN-<i>gamma</i> in NK cells.</ArticleTitle>
<Abstract>
<AbstractText Label="BACKGROUND">NK cells respond to IL-12.</AbstractText>
<AbstractText Label="RESULTS">IL-12 strongly induced IFN-gamma.</AbstractText>
</Abstract></Article></MedlineCitation></PubmedArticle>
<PubmedArticle><MedlineCitation><PMID Version="1">222</PMID>
<Article><ArticleTitle>A title with no abstract.</ArticleTitle></Article>
</MedlineCitation></PubmedArticle>
<PubmedArticle><MedlineCitation><PMID Version="1">333</PMID>
<Article><ArticleTitle>IL-10 inhibits TNF.</ArticleTitle>
<Abstract><AbstractText>Macrophages were treated with IL-10.</AbstractText></Abstract>
</Article></MedlineCitation></PubmedArticle>
<DeleteCitation><PMID Version="1">999</PMID><PMID Version="1">998</PMID></DeleteCitation>
</PubmedArticleSet>
"""


def write_gz(path: Path, text: str) -> Path:
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    return path


def test_gzipped_pubmed_gives_one_document_per_pmid(tmp_path: Path) -> None:
    path = write_gz(tmp_path / "pubmed25n0001.xml.gz", PUBMED)
    assert detect_format(path) is InputFormat.PUBMED
    deleted: list[str] = []
    documents = list(read_documents(path, deleted))
    assert [d.id for d in documents] == ["111", "222", "333"]
    assert documents[0].text == (
        "IL-12 induces IFN-gamma in NK cells.\n"
        "BACKGROUND: NK cells respond to IL-12. RESULTS: IL-12 strongly induced IFN-gamma."
    )
    assert documents[1].text == "A title with no abstract."
    assert documents[2].text == "IL-10 inhibits TNF.\nMacrophages were treated with IL-10."
    assert deleted == ["999", "998"]


def test_a_truncated_gzip_keeps_the_documents_before_the_break(tmp_path: Path) -> None:
    article = PUBMED[PUBMED.index("<PubmedArticle>") : PUBMED.index("</PubmedArticle>") + 16]
    many = "".join(article.replace(">111<", f">{n}<") for n in range(1000, 1600))
    text = f"<?xml version='1.0'?><PubmedArticleSet>{many}</PubmedArticleSet>"
    whole = gzip.compress(text.encode("utf-8"))
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(whole[: len(whole) * 3 // 4])
    kept = []
    with pytest.raises(InputError) as caught:
        for document in read_pubmed(path):
            kept.append(document.id)
    assert caught.value.path == path
    assert "truncated" in str(caught.value) or "malformed" in str(caught.value)
    assert kept[:2] == ["1000", "1001"] and len(kept) < 600


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(PUBMED.replace("</PMID>", "</PMD>", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"line 5: malformed XML"):
        list(read_documents(path))


def test_bioc_xml_and_json(tmp_path: Path) -> None:
    xml = tmp_path / "c.xml"
    xml.write_text(
        "<?xml version='1.0'?><collection><source>PubMed</source>"
        "<document><id>41</id><passage><offset>0</offset><text>IL-2 title.</text></passage>"
        "<passage><offset>12</offset><text>T cells make IL-2.</text></passage></document>"
        "</collection>",
        encoding="utf-8",
    )
    assert [(d.id, d.text) for d in read_documents(xml)] == [
        ("41", "IL-2 title.\nT cells make IL-2.")
    ]
    passages = [{"offset": 0, "text": "A."}, {"offset": 3, "text": "B."}]
    data = {"source": "PMC", "documents": [{"id": "42", "passages": passages}]}
    path = write_gz(tmp_path / "c.json.gz", json.dumps(data))
    assert detect_format(path) is InputFormat.BIOC_JSON
    assert [(d.id, d.text) for d in read_documents(path)] == [("42", "A.\nB.")]


def test_pubtator_reads_titles_and_abstracts_and_skips_annotations(tmp_path: Path) -> None:
    path = tmp_path / "x.pubtator"
    path.write_text(
        "12|t|IL-4 drives Th2 cells\n12|a|STAT6 is required.\n12\t0\t4\tIL-4\tGene\t3565\n\n"
        "13|t|Second\n13|a|Abstract two.\n",
        encoding="utf-8",
    )
    assert detect_format(path) is InputFormat.PUBTATOR
    assert [(d.id, d.text) for d in read_documents(path)] == [
        ("12", "IL-4 drives Th2 cells\nSTAT6 is required."),
        ("13", "Second\nAbstract two."),
    ]


def test_the_content_decides_not_the_name(tmp_path: Path) -> None:
    misnamed = tmp_path / "articles.txt"
    misnamed.write_text(PUBMED, encoding="utf-8")
    assert detect_format(misnamed) is InputFormat.PUBMED
    gz_text = write_gz(tmp_path / "note.txt.gz", "IL-2 acts on T cells.")
    assert [(d.id, d.text) for d in read_documents(gz_text)] == [("note", "IL-2 acts on T cells.")]
    other_json = tmp_path / "evaluation.json"
    other_json.write_text('{"claims": {}}', encoding="utf-8")
    with pytest.raises(InputError, match="not BioC"):
        list(read_documents(other_json))


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE PubmedArticleSet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        "<!DOCTYPE PubmedArticleSet [<!ENTITY a 'aaaaaaaaaa'>"
        + "".join(
            f"<!ENTITY {b} '{('&' + a + ';') * 10}'>"
            for a, b in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "]>",
    ],
    ids=["external-entity", "entity-bomb"],
)
def test_hostile_xml_is_refused(tmp_path: Path, doctype: str) -> None:
    body = PUBMED.split("\n", 2)[2].replace("NK cells respond", "&xxe; &i; NK cells respond", 1)
    path = tmp_path / "hostile.xml"
    path.write_text(f"<?xml version='1.0'?>\n{doctype}\n{body}", encoding="utf-8")
    with pytest.raises(InputError, match="unsafe XML refused"):
        list(read_documents(path))
