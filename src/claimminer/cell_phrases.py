"""Cell phrases: the rewrites that make chosen cell mentions whole.

Modifiers and surface markers stay in a cell-type mention ("activated CD4+ T cells"); a cell
name inside a compound, a disease or a protein name is none ("NK cell-mediated", "T-cell
leukemia"); transformed or transfected cells are a line ("EBV-transformed B cells"); a named
line takes in its cell words ("Jurkat T cells") and a class of lines is a mention of its own
("human monocytic cell line").
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from claimminer.entity_rules import Candidate, EntityRules
from claimminer.lexicon import Lexicon
from claimminer.model import Label


def extend_cells(
    doc: Doc, chosen: list[Candidate], rules: EntityRules, lexicon: Lexicon
) -> list[Candidate]:
    """Keep modifiers and surface markers in cell-type mentions ('activated CD4+ T cells').

    A marker that the lexicon matched as a protein ('CD4' in 'CD4+ T cells') is absorbed.
    """
    by_end = {c.end: c for c in chosen}
    absorbed: set[Candidate] = set()
    extended = []
    for candidate in chosen:
        if candidate.label != Label.CELL_TYPE:
            extended.append(candidate)
            continue
        start = candidate.start
        while start > 0:
            previous = doc[start - 1]
            before = by_end.get(start)
            if (
                before is not None
                and before.start == start - 1
                and (
                    rules.is_marker(previous.text)
                    or _is_species_modifier(before, previous.lower_, rules)
                )
            ):
                absorbed.add(before)
            elif (
                before is not None
                or _ends_hyphen_compound(doc, start - 1)
                or (
                    previous.lower_ not in rules.cell_modifiers
                    and not rules.is_marker(previous.text)
                )
                or _is_verb_of_previous_mention(previous.lower_, start - 1, by_end)
            ):
                break
            start -= 1
        while start < candidate.start and doc[start].text in "+-":
            start += 1  # a sign belongs to the marker before it, never starts a mention
        concept = candidate.concept_id
        if start < candidate.start:  # the phrase may be a term of its own
            whole = lexicon.lookup(doc[start : candidate.end].text)
            if whole is not None and whole.label == candidate.label:
                concept = whole.concept_id  # "mature T lymphocytes" is its own CL term
        extended.append(replace(candidate, start=start, concept_id=concept))
    return [c for c in extended if c not in absorbed]


def cell_compounds(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    """A cell name inside a larger word or name is not a cell-type mention.

    'B-cell-specific', 'NK cell-mediated' (a compound adjective), 'T-cell leukemia' (a
    disease), 'T-cell protein' and 'erythroid cell transcription factor' (a protein).
    """
    by_start = {c.start: c for c in chosen}
    merged: set[Candidate] = set()
    result = []
    for candidate in chosen:
        end = candidate.end
        if candidate in merged:
            continue
        if candidate.label != Label.CELL_TYPE or end >= len(doc):
            result.append(candidate)
            continue
        last, following = doc[end - 1], doc[end]
        if following.text == "-" and not last.whitespace_:
            continue  # compound adjective: the mention disappears
        disease = by_start.get(end)
        if following.lower_ in rules.malignancy_words and (
            disease is None or disease.label == Label.DISEASE
        ):
            if disease is not None:
                merged.add(disease)
            disease_end = disease.end if disease is not None else end + 1
            result.append(Candidate(candidate.start, disease_end, Label.DISEASE.value, ""))
        elif end in by_start:
            result.append(candidate)
        elif _modifies_another_noun(doc, candidate, rules):
            continue
        elif following.lower_ in rules.protein_heads | {"factor", "antigen"} and (
            last.lower_ not in rules.cell_nouns or last.lower_ == "cell"
        ):
            result.append(Candidate(candidate.start, end + 1, Label.PROTEIN.value, ""))
        else:
            result.append(candidate)
    return result


def disease_cells(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    """'CLL cells', 'hepatoma cells': a disease before a cell noun names tumour cells.

    The lineage words make "myeloma cells" and "leukemic cells" cell types; a disease the
    lexicon knows does the same, as one ungrounded CELL_TYPE mention over both words.
    """
    starts = {c.start for c in chosen}
    result = []
    for candidate in chosen:
        end = candidate.end
        if (
            candidate.label == Label.DISEASE
            and end < len(doc)
            and end not in starts
            and doc[end].lower_ in rules.cell_nouns
        ):
            result.append(Candidate(candidate.start, end + 1, Label.CELL_TYPE.value, ""))
            continue
        result.append(candidate)
    return result


def _modifies_another_noun(doc: Doc, candidate: Candidate, rules: EntityRules) -> bool:
    """A singular cell name before a noun that is not a cell process ('T cell surface').

    Verbs ('a T cell produces') are told apart by their endings, since there is no tagger.
    """
    last = doc[candidate.end - 1].lower_
    following = doc[candidate.end].text
    if last.endswith("s") or not following.isalpha() or not following.islower():
        return False
    kept = rules.cell_process_nouns | rules.cell_line_nouns | {"and", "or", "but", "nor"}
    if following in kept:
        return False
    return not following.endswith(("ed", "es", "ing", "ly"))


def line_marked_cells(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    """'EBV-transformed B cells', 'transfected Jurkat cells': cells made into a line."""
    result = []
    for candidate in chosen:
        start = candidate.start
        marked = start > 0 and doc[start - 1].lower_ in rules.line_markers
        if candidate.label == Label.CELL_TYPE and marked:
            start -= 1
            if start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_:
                start -= 2  # "EBV-transformed"
            candidate = Candidate(start, candidate.end, Label.CELL_LINE.value, "")
        result.append(candidate)
    return result


def _is_verb_of_previous_mention(word: str, index: int, by_end: dict[int, Candidate]) -> bool:
    """'IL-2 activated T cells': a participle right after a mention is its verb."""
    return word.endswith("ed") and index in by_end


def _is_species_modifier(candidate: Candidate | None, word: str, rules: EntityRules) -> bool:
    """'human' in 'human T cells': a species word that the cell mention keeps."""
    return (
        candidate is not None and candidate.label == Label.SPECIES and word in rules.cell_modifiers
    )


def _ends_hyphen_compound(doc: Doc, index: int) -> bool:
    """True when the token at `index` is the tail of 'word-word' split by the tokenizer."""
    before = doc[index - 1] if index > 0 else None
    return before is not None and before.text == "-" and not before.whitespace_


def cell_line_phrases(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    """Cell-line phrases: a named line with the cell words after it, or a class of lines.

    'Jurkat T cells', 'U937 cell line': the named line keeps its id and takes in the words,
    and so does a line named in brackets ('myeloid (U937) cells').
    'T-cell lymphoma cell lines', 'human monocytic cell line', 'T cell line', 'cell lines':
    an ungrounded CELL_LINE mention, since a class of lines has no Cellosaurus id.
    """
    named = _line_after_name(doc, _line_in_brackets(doc, chosen, rules), rules)
    return _class_of_lines(doc, named, rules)


def _line_in_brackets(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    """'myeloid (U937) cells', 'osteosarcoma (Saos-2) cells': the line the phrase names.

    A named line in brackets between a description and cell words is the cells: one
    CELL_LINE mention with the line's id, over the description (one word, or the cell type
    or disease mention that ends there) to the cell words.
    """
    by_end = {c.end: c for c in chosen}
    result = list(chosen)
    for line in chosen:
        if line.label != Label.CELL_LINE or not line.concept_id:
            continue
        start, end = line.start - 1, line.end + 1  # the brackets
        if start < 1 or end >= len(doc) or doc[start].text != "(" or doc[end - 1].text != ")":
            continue
        if doc[end].lower_ not in rules.cell_nouns:
            continue
        before = by_end.get(start)
        if before is not None and before.label in (Label.CELL_TYPE, Label.DISEASE):
            start = before.start
        elif before is None and doc[start - 1].is_alpha and not doc[start - 1].is_stop:
            start -= 1
        else:
            continue
        whole = replace(line, start=start, end=end + 1)
        result = [c for c in result if not (start <= c.start and c.end <= whole.end)]
        result.append(whole)
    return sorted(result, key=lambda c: c.start)


def _line_after_name(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    by_start = {c.start: c for c in chosen}
    swallowed: set[Candidate] = set()
    result = []
    for candidate in chosen:
        if candidate in swallowed:
            continue
        if candidate.label != Label.CELL_LINE or not candidate.concept_id:
            result.append(candidate)
            continue
        end = candidate.end
        following = by_start.get(end)
        if following is not None and following.label == Label.CELL_TYPE:
            if doc[following.end - 1].lower_ in rules.cell_nouns:
                swallowed.add(following)
                end = following.end
        elif (after_tumour := _cells_after_tumour(doc, following, by_start, rules)) is not None:
            swallowed.update(c for c in chosen if end <= c.start < after_tumour)
            end = after_tumour  # "Huh7 hepatoma cells": the line's tumour, not a claim's
        elif end < len(doc) and doc[end].lower_ in rules.cell_nouns:
            end += 1
        if (
            end < len(doc)
            and doc[end].lower_ in rules.cell_line_nouns
            and doc[end - 1].lower_ in rules.cell_nouns
        ):
            end += 1  # "U937 cell line", and "ZR-75-1 cell line" where the code took "cell"
        result.append(replace(candidate, end=end))
    return result


def _cells_after_tumour(
    doc: Doc, following: Candidate | None, by_start: dict[int, Candidate], rules: EntityRules
) -> int | None:
    """The end of "hepatoma cells" or "leukemia T cells" after a named line, if so written.

    A disease mention between a line's name and its cell words is the tumour the line came
    from: part of the line's name, not a mention of its own.
    """
    if following is None or following.label != Label.DISEASE or following.end >= len(doc):
        return None
    if doc[following.end].lower_ in rules.cell_nouns:
        return following.end + 1
    cells = by_start.get(following.end)
    if cells is not None and cells.label == Label.CELL_TYPE:
        return cells.end if doc[cells.end - 1].lower_ in rules.cell_nouns else None
    return None


def _class_of_lines(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    ends = {c.end: c for c in chosen}
    covered = {i for c in chosen for i in range(c.start, c.end)}
    leading_words = rules.cell_lineage_words | rules.cell_modifiers
    removed: set[Candidate] = set()
    new: list[Candidate] = []
    for token in doc:
        if token.lower_ not in rules.cell_line_nouns or token.i in covered:
            continue
        start = token.i
        named = ends.get(start)
        if named is None or named.label != Label.CELL_TYPE:
            if start == 0 or doc[start - 1].lower_ not in rules.cell_nouns or start - 1 in covered:
                continue  # "line" with neither "cell" nor a cell-type name before it
            start -= 1
        while start > 0:
            before = ends.get(start)
            species_word = _is_species_modifier(before, doc[start - 1].lower_, rules)
            if before is not None and (
                before.label in (Label.CELL_TYPE, Label.DISEASE) or species_word
            ):
                start = before.start
            elif start - 1 not in covered and doc[start - 1].lower_ in leading_words:
                start -= 1
            else:
                break
        removed.update(c for c in chosen if start <= c.start and c.end <= token.i + 1)
        new.append(Candidate(start, token.i + 1, Label.CELL_LINE.value, ""))
    return [c for c in chosen if c not in removed] + new
