"""Training and evaluation corpora for the syntax pipeline, written as spaCy DocBins.

Which sentence goes where is fixed and written down here, so that a model trained by
`claimminer train syntax` can be rebuilt exactly and never sees the split it is scored on:

- train: every CRAFT file, and the GENIA `future_use` abstracts but every tenth one;
- tune (spaCy's dev set, which picks the best checkpoint): every tenth GENIA `future_use`
  abstract (by order of first appearance of its PMID);
- test: GENIA `dev`, never read by training (`claimminer bench treebank` scores it).

Each training sentence is given twice when claimminer's tokenizer cuts it differently from
the treebank: once in the treebank's tokens (what `bench treebank` scores) and once in
claimminer's (what the parser sees at run time). GENIA sentences, the abstracts of this
project's domain, are repeated `genia_weight` times.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from claimminer.errors import ClaimMinerError
from claimminer.training.treebank import (
    ROOT,
    Tokenize,
    TreebankSentence,
    is_tree,
    read_treebank,
    reconcile,
    retokenize,
)

TUNE_EVERY = 10


@dataclass(frozen=True, slots=True)
class TreebankFiles:
    """Where the shared treebanks are, below the folder given on the command line."""

    craft: tuple[Path, ...]
    genia_train: Path
    genia_train_pmids: Path
    genia_test: Path

    @classmethod
    def under(cls, folder: Path) -> TreebankFiles:
        """Find CRAFT's CoNLL-U files and GENIA's two splits below `folder`.

        Raises:
            ClaimMinerError: a part is missing.

        """
        craft = tuple(sorted((folder / "craft").glob("*.conllu")))
        genia = folder / "genia"
        files = cls(
            craft,
            genia / "future_use.sd.conllx",
            genia / "future_use.pmids",
            genia / "dev.sd.conllx",
        )
        if not craft:
            raise ClaimMinerError(f"{folder / 'craft'}: no .conllu files")
        for path in (files.genia_train, files.genia_train_pmids, files.genia_test):
            if not path.is_file():
                raise ClaimMinerError(f"{path}: missing")
        return files


def genia_split(
    sentences: list[TreebankSentence], pmids: list[str]
) -> tuple[list[TreebankSentence], list[TreebankSentence]]:
    """(train, tune): every TUNE_EVERY-th abstract of GENIA's future_use goes to tune."""
    if len(pmids) != len(sentences):
        raise ClaimMinerError(
            f"GENIA: {len(sentences)} sentences but {len(pmids)} PMIDs in the .pmids file"
        )
    order = list(dict.fromkeys(pmids))
    tune_ids = set(order[TUNE_EVERY - 1 :: TUNE_EVERY])
    train = [s for s, p in zip(sentences, pmids, strict=True) if p not in tune_ids]
    tune = [s for s, p in zip(sentences, pmids, strict=True) if p in tune_ids]
    return train, tune


def sentence_to_doc(vocab: Vocab, sentence: TreebankSentence) -> Doc:
    """A spaCy Doc with the sentence's tags, heads and labels (spaCy's `ROOT` for the root)."""
    return Doc(
        vocab,
        words=list(sentence.words),
        spaces=list(sentence.spaces),
        tags=list(sentence.tags),
        heads=list(sentence.heads),
        deps=[ROOT if h == i else d for i, (h, d) in enumerate(zip(sentence.heads,
                                                                    sentence.deps, strict=True))],
        sent_starts=[True, *[False] * (len(sentence) - 1)],
    )  # fmt: skip


def variants(
    sentences: Iterable[TreebankSentence], tokenize: Tokenize, counts: Counter[str]
) -> Iterator[TreebankSentence]:
    """Each reconciled sentence, and its retokenised twin when that differs."""
    for sentence in sentences:
        reconciled = reconcile(sentence, counts)
        if not is_tree(reconciled):
            counts["sentences dropped (not a tree)"] += 1
            continue
        yield reconciled
        twin = retokenize(reconciled, tokenize, counts)
        if twin is not reconciled and is_tree(twin):
            yield twin


def write_corpora(
    files: TreebankFiles, out: Path, tokenize: Tokenize, genia_weight: int = 5
) -> dict[str, int | dict[str, int]]:
    """Write `train.spacy` and `tune.spacy` to `out`; return sentence counts and conversions."""
    counts: Counter[str] = Counter()
    vocab = Vocab()
    genia = list(read_treebank(files.genia_train))
    pmids = files.genia_train_pmids.read_text(encoding="utf-8").split()
    genia_train, genia_tune = genia_split(genia, pmids)
    train = DocBin(attrs=["TAG", "HEAD", "DEP", "SENT_START"], store_user_data=False)
    sizes: Counter[str] = Counter()
    for path in files.craft:
        for sentence in variants(read_treebank(path), tokenize, counts):
            train.add(sentence_to_doc(vocab, sentence))
            sizes["craft"] += 1
    genia_docs = [sentence_to_doc(vocab, s) for s in variants(genia_train, tokenize, counts)]
    for _ in range(genia_weight):
        for doc in genia_docs:
            train.add(doc)
            sizes["genia_future_use"] += 1
    tune = DocBin(attrs=["TAG", "HEAD", "DEP", "SENT_START"])
    for sentence in genia_tune:
        reconciled = reconcile(sentence, Counter())
        if is_tree(reconciled):
            tune.add(sentence_to_doc(vocab, reconciled))
            sizes["tune"] += 1
    out.mkdir(parents=True, exist_ok=True)
    train.to_disk(out / "train.spacy")
    tune.to_disk(out / "tune.spacy")
    return {"sentences": dict(sizes), "conversions": dict(sorted(counts.items()))}
