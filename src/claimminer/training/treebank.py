"""Dependency treebanks read, reconciled to one label scheme, and retokenised like claimminer.

Two treebanks train the parser: CRAFT (CoNLL-U, the ClearNLP labels of spaCy's English
pipelines) and the GENIA treebank (CoNLL-X, Stanford basic dependencies). They differ in
labels, in how they treat the copula, and in tokenisation (CRAFT splits every hyphen, GENIA
none), so each sentence goes through three steps, all pure functions over `TreebankSentence`:

1. `reconcile()`: GENIA's labels and structures become ClearNLP's (see `LABEL_RENAMES` and the
   structural conversions below); in both, a passive "by" is `agent`.
2. `retokenize()`: the words are cut and joined as claimminer's tokenizer cuts the text, so
   the parser learns the tokens it will see at run time.
3. the caller turns the sentence into a spaCy `Doc` (`training.corpus`).

Nothing here imports spaCy; the tokenizer comes in as a function from a string to its pieces.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from claimminer.errors import DataFileError

ROOT = "ROOT"
# Bracket tokens as PTB writes them, and the characters they stand for.
BRACKET_FORMS = {
    "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
}  # fmt: skip
# One-for-one renames from Stanford basic (GENIA) to ClearNLP (CRAFT, spaCy's English models).
LABEL_RENAMES = {
    "root": ROOT,
    "nn": "compound",
    "num": "nummod",
    "number": "nummod",  # "47 kDa": CRAFT's nummod
    "rcmod": "relcl",
    "possessive": "case",
    "tmod": "npadvmod",
    "iobj": "dative",
}
NOMINAL_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "PRP", "CD", "DT", "EX", "WP", "FW"})
ADJECTIVAL_TAGS = frozenset({"JJ", "JJR", "JJS", "VBN", "VBG"})
# Dependents of a copular predicate that belong to the clause, hence to the verb once the
# verb heads it (spaCy's scheme); the rest (det, amod, prep, ...) stay on the predicate.
CLAUSE_DEPENDENTS = frozenset(
    {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl", "aux", "auxpass", "neg", "mark",
     "punct", "advcl", "ccomp", "parataxis", "dep", "npadvmod", "tmod"}
)  # fmt: skip
HAVE_FORMS = frozenset({"have", "has", "had", "having", "'ve"})
PUNCTUATION_PIECES = {"-": "HYPH", "/": "HYPH", "(": "-LRB-", ")": "-RRB-", "[": "-LRB-",
                      "]": "-RRB-", ",": ",", ".": ".", ":": ":", ";": ":", "+": "SYM"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class TreebankSentence:
    """One parsed sentence: words with spacing, PTB tags, 0-based heads (root: itself), labels."""

    source: str
    words: tuple[str, ...]
    spaces: tuple[bool, ...]
    tags: tuple[str, ...]
    heads: tuple[int, ...]
    deps: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.words)

    @property
    def text(self) -> str:
        """The sentence as running text."""
        return "".join(w + (" " if s else "") for w, s in zip(self.words, self.spaces, strict=True))

    def children(self, head: int) -> list[int]:
        """Indices of the words attached to `head`, in order."""
        return [i for i, h in enumerate(self.heads) if h == head and i != head]


# ---------------------------------------------------------------------------------------------
# Reading


def read_treebank(path: Path) -> Iterator[TreebankSentence]:
    """Sentences of a CoNLL-U or CoNLL-X file.

    Comments, multiword-token ranges (`1-2`) and empty nodes (`1.1`) are skipped. CoNLL-U's
    `SpaceAfter=No` sets the spacing; CoNLL-X has none, so every word is followed by a space.
    PTB bracket forms (`-LRB-`) become the characters they stand for.

    Raises:
        DataFileError: a line without 10 tab-separated columns or with a bad head.

    """
    rows: list[tuple[int, list[str]]] = []
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise DataFileError(path, None, f"cannot read: {error.strerror or error}") from error
    with handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                if rows:
                    yield _sentence(path, rows)
                rows = []
                continue
            if line.startswith("#"):
                continue
            columns = line.split("\t")
            if len(columns) != 10:
                raise DataFileError(path, number, f"expected 10 columns, found {len(columns)}")
            if "-" in columns[0] or "." in columns[0]:
                continue
            rows.append((number, columns))
    if rows:
        yield _sentence(path, rows)


def _unbracket(form: str) -> str:
    """'-LRB-' as '(', also inside a word: GENIA writes '[Ca2+]i' as '-LSB-Ca2+-RSB-i'."""
    if "-" not in form:
        return form
    for written, character in BRACKET_FORMS.items():
        form = form.replace(written, character)
    return form


def _sentence(path: Path, rows: list[tuple[int, list[str]]]) -> TreebankSentence:
    words, spaces, tags, heads, deps = [], [], [], [], []
    for position, (number, columns) in enumerate(rows):
        identifier, form, _, _, tag, _, head, dep, _, misc = columns
        if not (identifier.isdigit() and int(identifier) == position + 1):
            raise DataFileError(path, number, f"token id {identifier!r}, expected {position + 1}")
        if not head.isdigit() or int(head) > len(rows):
            raise DataFileError(path, number, f"head {head!r} is not a token of the sentence")
        words.append(_unbracket(form))
        spaces.append("SpaceAfter=No" not in misc.split("|"))
        tags.append(tag)
        heads.append(int(head) - 1 if head != "0" else position)
        deps.append(ROOT if head == "0" else dep)
    return TreebankSentence(
        f"{path}:{rows[0][0]}", tuple(words), tuple(spaces), tuple(tags), tuple(heads), tuple(deps)
    )


# ---------------------------------------------------------------------------------------------
# Reconciling the label schemes


def reconcile(sentence: TreebankSentence, counts: Counter[str] | None = None) -> TreebankSentence:
    """GENIA's Stanford basic structures as ClearNLP's; a passive "by" as `agent` in both.

    `counts`, when given, is told how often each conversion fired (for the training report).
    """
    counts = counts if counts is not None else Counter()
    heads, deps = list(sentence.heads), list(sentence.deps)
    for i, dep in enumerate(deps):
        if dep in LABEL_RENAMES:
            counts[f"{dep} -> {LABEL_RENAMES[dep]}"] += 1 if dep != "root" else 0
            deps[i] = LABEL_RENAMES[dep]
    tags = sentence.tags
    for i, dep in enumerate(deps):
        if dep == "vmod":
            nominal = tags[heads[i]] in NOMINAL_TAGS
            deps[i] = "acl" if nominal else "advcl"
            counts[f"vmod -> {deps[i]}"] += 1
    for i in [i for i, dep in enumerate(deps) if dep == "mwe"]:
        _convert_multiword(i, heads, deps, counts)
    for i in [i for i, dep in enumerate(deps) if dep == "cop"]:
        _convert_copula(i, sentence.words, tags, heads, deps)
        counts["cop -> verb heads attr/acomp"] += 1
    for i, word in enumerate(sentence.words):
        if word.lower() == "by" and deps[i] == "prep" and _is_passive(i, tags, heads, deps):
            deps[i] = "agent"
            counts["passive by: prep -> agent"] += 1
    return replace(sentence, heads=tuple(heads), deps=tuple(deps))


def _convert_multiword(i: int, heads: list[int], deps: list[str], counts: Counter[str]) -> None:
    """'such as' -> such amod as; 'as well as' -> the last 'as' is the cc, heading the rest."""
    head = heads[i]
    if i < head:
        deps[i] = "amod" if i + 1 == head else "advmod"
        counts["mwe before its head -> amod/advmod"] += 1
        return
    # the word after its head takes the head's place: "as well as" -> as(12) well(13) <- as(14)
    heads[i], deps[i] = heads[head] if heads[head] != head else i, deps[head]
    for child in [c for c, h in enumerate(heads) if h == head and c != i]:
        heads[child] = i
    heads[head], deps[head] = i, "advmod"
    counts["mwe after its head -> heads the phrase"] += 1


def _convert_copula(
    cop: int, words: Sequence[str], tags: Sequence[str], heads: list[int], deps: list[str]
) -> None:
    """Make the copula the head of its clause, as spaCy does ('IL-2 is a cytokine').

    Stanford basic hangs the verb off its predicate (cop); spaCy's scheme makes the verb the
    head, with the predicate as `attr` (a noun) or `acomp` (an adjective). The clause's own
    dependents (subject, auxiliaries, negation, marker, punctuation, clausal modifiers) move
    to the verb; coordinated clauses move with them, coordinated predicates do not.
    """
    predicate = heads[cop]
    if predicate == cop:
        return
    is_root = heads[predicate] == predicate
    heads[cop], deps[cop] = (cop if is_root else heads[predicate]), deps[predicate]
    heads[predicate] = cop
    deps[predicate] = "acomp" if tags[predicate] in ADJECTIVAL_TAGS else "attr"
    adjective = deps[predicate] == "acomp"
    clausal_conjuncts = {
        c for c, h in enumerate(heads)
        if h == predicate and deps[c] == "conj" and _is_clausal(c, tags, heads, deps)
    }  # fmt: skip
    for child, head in enumerate(heads):
        if head != predicate or child == cop:
            continue
        label = deps[child]
        move = label in CLAUSE_DEPENDENTS or child in clausal_conjuncts
        if label == "cc" and clausal_conjuncts:
            move = True
        if label == "advmod":
            # "is highly active": the adverb qualifies the adjective; "However, X is" the clause
            move = not (adjective and cop < child < predicate)
        if label == "punct" and words[child] in "()" and child > predicate:
            move = False
        if move:
            heads[child] = cop


def _is_clausal(token: int, tags: Sequence[str], heads: list[int], deps: list[str]) -> bool:
    """A conjunct that is a clause: a verb, or a predicate with its own subject or copula."""
    own = {deps[c] for c, h in enumerate(heads) if h == token and c != token}
    return tags[token].startswith("VB") or bool(own & {"nsubj", "nsubjpass", "cop"})


def _is_passive(by: int, tags: Sequence[str], heads: Sequence[int], deps: Sequence[str]) -> bool:
    """'by' under a past participle that is not a perfect ('has induced by' is no passive)."""
    verb = heads[by]
    if tags[verb] != "VBN":
        return False
    own = {deps[c] for c, h in enumerate(heads) if h == verb and c != verb}
    return "auxpass" in own or "aux" not in own or deps[verb] in ("acl", "amod", "conj")


# ---------------------------------------------------------------------------------------------
# Retokenising


Tokenize = Callable[[str], list[str]]


def retokenize(
    sentence: TreebankSentence, tokenize: Tokenize, counts: Counter[str] | None = None
) -> TreebankSentence:
    """The sentence cut into the tokens claimminer's tokenizer makes of its text.

    Words written together (no space between) are tokenised as one stretch and aligned by
    characters. A token that joins several words ("IL", "-", "2" -> "IL-2") takes the place
    of the word among them whose head lies outside (the last such word when there are
    several), with its tag (a noun's when that word is a number or punctuation). A word cut
    into several tokens ("IL-2-induced" -> "IL-2", "-", "induced") keeps its head and label
    on the last token that is not punctuation; the others attach to it (punctuation as
    `punct`, names as `compound`, or `npadvmod` before a participle or adjective). A sentence
    whose tokens cross word boundaries any other way is kept as it was (counted).
    """
    counts = counts if counts is not None else Counter()
    groups: list[tuple[int, int]] = []  # word ranges written together
    start = 0
    for i, space in enumerate(sentence.spaces):
        if space or i == len(sentence) - 1:
            groups.append((start, i + 1))
            start = i + 1
    pieces: list[_Piece] = []
    for first, last in groups:
        aligned = _align_group(sentence, first, last, tokenize)
        if aligned is None:
            counts["sentences kept in treebank tokens (crossing alignment)"] += 1
            return sentence
        pieces.extend(aligned)
    if len(pieces) == len(sentence) and all(len(p.words) == 1 for p in pieces):
        return sentence
    counts["sentences retokenised"] += 1
    return _rebuild(sentence, pieces, counts)


@dataclass(frozen=True, slots=True)
class _Piece:
    """A token of the new tokenisation: its text, the words it covers, and its place in them."""

    text: str
    words: tuple[int, ...]
    part: int  # which piece of a split word (0 when the word is not split)
    parts: int  # how many pieces its word is split into (1 when not split)
    space: bool


def _align_group(
    sentence: TreebankSentence, first: int, last: int, tokenize: Tokenize
) -> list[_Piece] | None:
    """Align the tokens of words first..last-1 (written together) to those words."""
    words = sentence.words[first:last]
    text = "".join(words)
    tokens = [t for t in tokenize(text) if t.strip()]
    if "".join(tokens) != text.replace(" ", ""):
        return None
    word_starts, position = [], 0
    for word in words:
        word_starts.append(position)
        position += len(word)
    word_ends = [s + len(w) for s, w in zip(word_starts, words, strict=True)]
    spans, position = [], 0
    for token in tokens:
        found = text.find(token, position)
        if found < 0:
            return None
        spans.append((found, found + len(token)))
        position = found + len(token)
    covered: list[tuple[int, ...]] = []
    for start, end in spans:
        inside = tuple(
            first + k for k, (ws, we) in enumerate(zip(word_starts, word_ends, strict=True))
            if ws < end and start < we
        )  # fmt: skip
        starts_on_word = start in word_starts
        ends_on_word = end in word_ends
        if len(inside) > 1 and not (starts_on_word and ends_on_word):
            return None  # a token that joins parts of two words
        covered.append(inside)
    pieces = []
    for k, ((start, end), inside) in enumerate(zip(spans, covered, strict=True)):
        same_word = [j for j, c in enumerate(covered) if c == inside]
        split = len(inside) == 1 and len(same_word) > 1
        pieces.append(
            _Piece(
                text=text[start:end],
                words=inside,
                part=same_word.index(k) if split else 0,
                parts=len(same_word) if split else 1,
                space=k == len(spans) - 1 and sentence.spaces[last - 1],
            )
        )
    return pieces


def _rebuild(
    sentence: TreebankSentence, pieces: list[_Piece], counts: Counter[str]
) -> TreebankSentence:
    # the token that stands for each word: for a split word its head piece, for joined
    # words the piece that covers them
    stands_for: dict[int, int] = {}
    split_heads: dict[int, int] = {}
    for index, piece in enumerate(pieces):
        if piece.parts > 1:
            word = piece.words[0]
            if piece.text not in PUNCTUATION_PIECES:
                split_heads[word] = index  # the last non-punctuation piece wins
            split_heads.setdefault(word, index)
        for word in piece.words:
            stands_for.setdefault(word, index)
    stands_for.update(split_heads)
    tags, heads, deps = [], [], []
    for index, piece in enumerate(pieces):
        if piece.parts > 1 and split_heads[piece.words[0]] != index:
            word = piece.words[0]
            head_piece = split_heads[word]
            if piece.text in PUNCTUATION_PIECES:
                tag, dep = PUNCTUATION_PIECES[piece.text], "punct"
            else:
                tag = "CD" if piece.text.isdigit() else "NN"
                dep = "npadvmod" if sentence.tags[word] in ADJECTIVAL_TAGS else "compound"
            tags.append(tag)
            heads.append(head_piece)
            deps.append(dep)
            counts["split-word piece"] += 1
            continue
        root = _root_of(sentence, piece.words)
        tag = sentence.tags[root]
        if len(piece.words) > 1:
            counts["joined words"] += 1
            if (tag in ("CD", "HYPH", ",", ":", "SYM") or not tag[0].isalpha()) and any(
                c.isalpha() for c in piece.text
            ):
                tag = "NN"
        head_word = sentence.heads[root]
        heads.append(index if head_word == root else stands_for[head_word])
        deps.append(sentence.deps[root])
        tags.append(tag)
    return TreebankSentence(
        sentence.source,
        tuple(p.text for p in pieces),
        tuple(p.space for p in pieces),
        tuple(tags),
        tuple(heads),
        tuple(deps),
    )


def _root_of(sentence: TreebankSentence, words: tuple[int, ...]) -> int:
    """The word of a group whose head lies outside it (the last one if several do)."""
    outside = [w for w in words if sentence.heads[w] not in words or sentence.heads[w] == w]
    return outside[-1] if outside else words[-1]


# ---------------------------------------------------------------------------------------------
# Checks


WORD_PATTERN = re.compile(r"\S+")


def is_tree(sentence: TreebankSentence) -> bool:
    """One root, and every word reaches it without a cycle."""
    roots = [i for i, h in enumerate(sentence.heads) if h == i]
    if len(roots) != 1:
        return False
    for start in range(len(sentence)):
        seen, node = set(), start
        while sentence.heads[node] != node:
            if node in seen:
                return False
            seen.add(node)
            node = sentence.heads[node]
    return True
