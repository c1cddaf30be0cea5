"""Arguments that share a statement: lists, "but not", "respectively", slash groups.

The surface reader walks connectors in the token sequence; the syntax reader follows `conj`
(see `syntax_paths.conjuncts`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc, Span

from claimminer.claims.words import (
    ARGUMENT_HEADS,
    CLAUSE_PREPOSITIONS,
    CONNECTORS,
    FLIPPING_CONNECTORS,
)

Side = list[tuple[int, bool]]


def coordinated(
    doc: Doc,
    index: int,
    step: int,
    labels: frozenset[str],
    trigger: re.Pattern[str] | None = None,
    any_trigger: re.Pattern[str] | None = None,
) -> Iterator[tuple[int, bool]]:
    """Arguments coordinated with the one at `index`, walking away from the trigger.

    Yields (token index, polarity flipped) for "A, B and C", "A, but not B", "neither A nor B".
    With `trigger`, the walk stops at an argument right after a trigger word: in "A activates
    B, and C activates D", B is the object of its own clause, not a second subject of D.
    """
    flipped = False
    position = index
    while True:
        probe = position + step
        heads = 0
        while 0 <= probe < len(doc) and doc[probe].lower_ in ARGUMENT_HEADS and heads < 2:
            probe += step
            heads += 1
        connector = _connector_at(doc, probe, step)
        if connector is None:
            return
        target = probe + step * len(connector)
        if step > 0 and 0 <= target < len(doc) - 1 and doc[target].lower_.endswith("ly"):
            target += 1  # "activated strongly c-fos and weakly c-jun"
        if not 0 <= target < len(doc) or doc[target]._.cm_role not in labels:
            return
        if step > 0 and "," in connector and _opens_a_clause(doc, target, any_trigger):
            return  # "A activates B, and C activates D": C is the next clause's subject
        if trigger is not None and target > 0:
            governor = doc[target - 1].lower_
            if trigger.match(governor):
                return
            if connector == (",", "and") and governor in CLAUSE_PREPOSITIONS:
                return  # "in response to TNF, and H2O2 induces": TNF ends the earlier clause
        if step < 0 and connector == (",",) and position == index:
            return  # "..., with anti-CD28 antibodies, IL-12 increased": a comma alone before
            # the nearest subject ends a phrase; a list reaches it through "and"/"or"
        if connector in FLIPPING_CONNECTORS:
            flipped = not flipped
        yield target, flipped
        position = target


def _opens_a_clause(doc: Doc, index: int, any_trigger: re.Pattern[str] | None) -> bool:
    """A mention followed by a finite trigger verb (after an optional "(abbreviation)")."""
    if any_trigger is None:
        return False
    after = index + 1
    if after < len(doc) and doc[after].text == "(":
        closing = next(
            (i for i in range(after, min(after + 6, len(doc))) if doc[i].text == ")"), None
        )
        after = closing + 1 if closing is not None else after
    if after >= len(doc):
        return False
    word = doc[after].lower_
    return bool(any_trigger.match(word)) and word.endswith(("s", "ed"))


def _connector_at(doc: Doc, position: int, step: int) -> tuple[str, ...] | None:
    for connector in CONNECTORS:
        words = connector if step > 0 else tuple(reversed(connector))
        indices = [position + step * k for k in range(len(words))]
        if all(
            0 <= i < len(doc) and doc[i].lower_ == w for i, w in zip(indices, words, strict=True)
        ):
            return connector
    return None


def pairings(
    doc: Doc, sentence: Span, subjects: Side, objects: Side
) -> Iterator[tuple[tuple[int, bool], tuple[int, bool]]]:
    """Every subject with every object, or, with 'respectively', the n-th with the n-th.

    'p50/p65 and STAT6 are induced by CD40L and IL-4, respectively' pairs CD40L with p50/p65
    and IL-4 with STAT6: names joined by a slash count as one item. When the two lists differ
    in length, 'respectively' cannot be read and every pair is kept.
    """
    positions = [i for i, _ in subjects + objects]
    if (
        len(subjects) > 1
        and len(objects) > 1
        and any(
            doc[i].lower_ == "respectively"
            for i in range(min(positions), min(max(positions) + 4, sentence.end))
        )
    ):
        subject_groups, object_groups = _slash_groups(doc, subjects), _slash_groups(doc, objects)
        if len(subject_groups) == len(object_groups):
            for subject_group, object_group in zip(subject_groups, object_groups, strict=True):
                yield from ((s, o) for s in subject_group for o in object_group)
            return
    yield from ((s, o) for s in subjects for o in objects)


def _slash_groups(doc: Doc, side: Side) -> list[Side]:
    """The arguments of one side in text order, names joined by '/' kept together."""
    groups: list[Side] = []
    for item in sorted(side):
        if groups and {t.text for t in doc[groups[-1][-1][0] + 1 : item[0]]} == {"/"}:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups
