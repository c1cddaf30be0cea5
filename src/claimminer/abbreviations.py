"""ScispaCy's abbreviation detector, with its search for parentheses done in one pass.

The detector (Schwartz & Hearst's algorithm) starts from every "( ... )" stretch of a Doc,
which it finds with a spaCy Matcher over `( + )`: a wildcard state opens at every "(" and
runs to the end of the document, so the search grows with the square of a long abstract's
length and took most of the detector's time. `ParenthesesMatcher` lists the same stretches,
in the Matcher's order, from one pass over the tokens; everything else is scispaCy's.
"""

from __future__ import annotations

import numpy
from spacy.attrs import ORTH  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

ABBREVIATION_COMPONENT = "abbreviation_detector"
MATCH_KEY = "parenthesis"


class ParenthesesMatcher:
    """What the detector's Matcher returns: (key, start, end) of every "(" ... ")" stretch.

    A stretch holds at least one token between its brackets, and may hold brackets itself.
    Stretches come by closing bracket, left to right, and for one closing bracket from the
    nearest opening bracket to the farthest.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> [(s, e) for _, s, e in ParenthesesMatcher(nlp.vocab)(nlp("a ( b ( c ) )"))]
    [(3, 6), (1, 6), (3, 7), (1, 7)]
    """

    def __init__(self, vocab: Vocab) -> None:
        self.key = vocab.strings.add(MATCH_KEY)
        self.opening, self.closing = vocab.strings.add("("), vocab.strings.add(")")

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """The stretches of `doc`."""
        words = doc.to_array(ORTH)
        brackets = numpy.flatnonzero((words == self.opening) | (words == self.closing))
        found: list[tuple[int, int, int]] = []
        opening: list[int] = []
        for position in brackets.tolist():
            if words[position] == self.closing:
                found.extend(
                    (self.key, start, position + 1)
                    for start in reversed(opening)
                    if start < position - 1
                )
            else:
                opening.append(position)
        return found


def add_abbreviation_detector(nlp: Language) -> None:
    """Add scispaCy's detector to `nlp`, searching parentheses with `ParenthesesMatcher`."""
    import scispacy.abbreviation  # noqa: F401 - registers the abbreviation_detector factory

    detector = nlp.add_pipe(ABBREVIATION_COMPONENT)
    detector.matcher = ParenthesesMatcher(nlp.vocab)  # type: ignore[attr-defined]
