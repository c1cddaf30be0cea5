from __future__ import annotations

from pathlib import Path

import pytest

from claimminer.cache import digest, files_digest, load_or_build
from claimminer.matching import PhraseTable


def test_cache_builds_once_then_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMMINER_CACHE", str(tmp_path))
    calls = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"a": 1}

    assert load_or_build("t", "k", build, dict) == {"a": 1}
    assert load_or_build("t", "k", build, dict) == {"a": 1}
    assert len(calls) == 1
    assert len(list(tmp_path.glob("t-k.pickle"))) == 1


def test_cache_corrupt_entry_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMMINER_CACHE", str(tmp_path))
    (tmp_path / "t-k.pickle").write_bytes(b"not a pickle")
    assert load_or_build("t", "k", lambda: [1, 2], list) == [1, 2]


def test_cache_unwritable_folder_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CLAIMMINER_CACHE", str(blocker / "below-a-file"))
    assert load_or_build("t", "k", lambda: {"v"}, set) == {"v"}


def test_cache_digest_changes_with_content(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv"
    path.write_text("one")
    first = files_digest([path])
    path.write_text("two")
    assert files_digest([path]) != first
    assert digest(["a", "b"]) != digest(["ab"])


def test_matching_table_finds_every_sequence() -> None:
    table = PhraseTable()
    table.add(("T", "cells"), ("CELL_TYPE", "CL:0000084"))
    table.add(("T",), ("PROTEIN", ""))
    words = ["naive", "T", "cells"]
    assert sorted(table.find(words)) == [
        (1, 2, ("PROTEIN", "")),
        (1, 3, ("CELL_TYPE", "CL:0000084")),
    ]


def test_cache_keeps_the_last_three_entries_of_a_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setenv("CLAIMMINER_CACHE", str(tmp_path))
    for age, key in enumerate(["aa01", "aa02", "aa03", "aa04"]):
        load_or_build("lexicon", key, lambda: {"k": 1}, dict)
        os.utime(tmp_path / f"lexicon-{key}.pickle", (1000 + age, 1000 + age))
    (tmp_path / "lexicon-tables-aa00.pickle").write_bytes(b"another kind")
    load_or_build("lexicon", "aa02", lambda: {"k": 1}, dict)  # read: now the most recent
    load_or_build("lexicon", "aa05", lambda: {"k": 1}, dict)  # a new version writes and prunes
    left = sorted(p.name for p in tmp_path.glob("*.pickle"))
    assert left == ["lexicon-aa02.pickle", "lexicon-aa04.pickle", "lexicon-aa05.pickle",
                    "lexicon-tables-aa00.pickle"]  # fmt: skip
