"""Arbitrary Unicode through the whole pipeline: it never crashes, offsets stay right, every
claim points at entities of its own document, and the same input gives the same output."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

BIOLOGY = ["IL-2", "IFN-gamma", " induces ", " inhibits ", "T cells", " and ", ", but not ",
           "NK cells", "1,25D3", " (IL-10) ", " is produced by ", "mice", ". ", "\n\n", "-/-",
           " not ", "LPS-stimulated ", "CD4+ T-helper cells"]  # fmt: skip
WEIRD = st.text(
    alphabet=st.characters(
        categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf"), exclude_characters="\x00"
    ),
    max_size=40,
)
TEXTS = st.lists(st.one_of(st.sampled_from(BIOLOGY), WEIRD, st.just("x" * 300)), max_size=25).map(
    "".join
)


def check(document) -> None:
    ids = {mention.id for mention in document.entities}
    for mention in document.entities:
        assert document.text[mention.start : mention.end] == mention.text
    for claim in document.claims:
        assert claim.subject in ids and claim.object in ids
        assert 0 <= claim.sentence_start <= claim.sentence_end <= len(document.text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
@example("IL-2 induces IFN-gamma in T cells\u202e\u0301 and \u200f\u05d0\u05d1 NK cells.")
@example("\u0007IL-2\u0000".replace("\u0000", "") + "\ufeff" + "IL-10-/-" * 50)
def test_extract_survives_any_unicode(extract, text: str) -> None:
    first = extract(text, "fuzz")
    check(first)
    assert extract(text, "fuzz") == first
