"""Experimental context: organism, genotype, setting, cell source and stimulus of a claim."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from claimminer.claims.words import CELL_LABELS, STIMULUS_LABELS
from claimminer.model import Context, Label
from claimminer.rules import Cues


def genotype_mentions(doc: Doc, cues: Cues, lowered: Sequence[str]) -> list[tuple[int, str]]:
    """(token index, genotype) for 'X KO', 'X-/-', 'X-deficient', 'absence of X', 'wild type'.

    Also 'X transgenic'. Entities are single tokens here, so 'X KO' is an entity token followed
    by a cue token.
    """
    found: list[tuple[int, str]] = []
    for ent in doc.ents:
        if ent.label_ not in (Label.CYTOKINE, Label.PROTEIN):
            continue
        following = doc[ent.end : ent.end + 2]
        words = [t.text for t in following]
        after = (words[:1] == ["-"] and words[1:2]) or words[:1]
        if after and after[0] in cues.loss_of_function:
            found.append((ent.start, f"{ent.text} KO"))
            continue
        if after and after[0] in cues.gain_of_function:
            found.append((ent.start, f"{ent.text} transgenic"))
            continue
        if after and (after[0].lower(),) in cues.wild_type:
            found.append((ent.start, "wild type"))  # "IL-10+/+ mice"
            continue
        for phrase in cues.loss_of_function_before:
            if tuple(lowered[max(0, ent.start - len(phrase)) : ent.start]) == phrase:
                found.append((ent.start, f"{ent.text} KO"))
    found += [(i, "wild type") for i, _ in phrase_positions(lowered, cues.wild_type)]
    return found


def phrase_positions(
    words: Sequence[str], phrases: Iterable[tuple[str, ...]]
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(index, phrase) wherever one of the phrases starts in the lower-cased words.

    Indexed by first word, so a document is read once whatever the number of phrases.
    """
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        by_first.setdefault(phrase[0], []).append(phrase)
    for index, word in enumerate(words):
        for phrase in by_first.get(word, ()):
            if tuple(words[index : index + len(phrase)]) == phrase:
                yield index, phrase


def _nearest(candidates: Sequence[tuple[int, str]], anchor: int) -> str | None:
    if not candidates:
        return None
    return min(candidates, key=lambda item: (abs(item[0] - anchor), item[0]))[1]


def organism_mentions(doc: Doc, cues: Cues, words: Sequence[str]) -> list[tuple[int, str]]:
    """(token index, organism) from species entities and words such as 'murine'."""
    species = {
        index
        for ent in doc.ents
        if ent.label_ == Label.SPECIES
        for index in range(ent.start, ent.end)
    }
    found = []
    for index, lowered in enumerate(words):
        if index in species:  # a merged entity: one token, its concept on it
            organism = cues.organisms.get(doc[index].ent_kb_id_)
            if organism:
                found.append((index, organism))
            continue
        for word in lowered.split():
            if word in cues.organism_words:
                found.append((index, cues.organism_words[word]))
                break
    return found


def setting_mentions(words: Sequence[str], cues: Cues) -> list[tuple[int, str]]:
    """(token index, setting) for 'in vitro', 'in vivo', 'ex vivo'."""
    return [(i, cues.settings[phrase]) for i, phrase in phrase_positions(words, cues.settings)]


def cell_source_mentions(doc: Doc, cues: Cues, words: Sequence[str]) -> list[tuple[int, str]]:
    """(token index, source) for 'cells from IL-2 KO mice', 'isolated from patients'."""
    found = []
    for start, opener in phrase_positions(words, cues.cell_source_openers):
        after = start + len(opener)
        before = doc[max(0, start - 2) : start]
        if not any(t.lower_ in ("cell", "cells") or t.ent_type_ in CELL_LABELS for t in before):
            continue  # "from" that does not follow cells says nothing about a cell source
        end = after
        while end < min(len(doc), after + 6):
            word = doc[end]
            if (word.is_punct and word.text not in "+-") or word.lower_ in cues.cell_source_stops:
                break
            end += 1
            if word.ent_type_ == Label.SPECIES or word.lower_ in cues.cell_source_nouns:
                break
        if end > after:
            found.append((start, doc[after:end].text))
    return found


def stimulus_mentions(doc: Doc, cues: Cues, words: Sequence[str]) -> list[tuple[int, str, bool]]:
    """(token index, stimulus, context only) for 'Con A-stimulated cells', 'stimulated with LPS'.

    The entity is context only, never a claim argument, when it follows "with" or when its
    hyphenated participle stands right before a cell ('LPS-stimulated macrophages'); in
    'IL-4-induced differentiation of Th2 cells' IL-4 is still the claim's subject.
    """
    found = []
    for index, word in enumerate(words):
        if word not in cues.stimulus_participles:
            continue
        token = doc[index]
        if token.i >= 2 and doc[token.i - 1].text == "-":
            stimulus = doc[token.i - 2]
            glued = not stimulus.whitespace_ and stimulus.ent_type_ in STIMULUS_LABELS
            next_is_cell = token.i + 1 < len(doc) and doc[token.i + 1].ent_type_ in CELL_LABELS
            if glued:
                found.append((stimulus.i, stimulus.text, next_is_cell))
        following = doc[token.i + 1 : token.i + 3]
        with_entity = len(following) == 2 and following[0].lower_ == "with"
        if with_entity and following[1].ent_type_ in STIMULUS_LABELS:
            found.append((following[1].i, following[1].text, True))
    return found


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """Context cues of a whole document, found once and looked up per claim."""

    genotypes: list[tuple[int, str]]
    organisms: list[tuple[int, str]]
    settings: list[tuple[int, str]]
    cell_sources: list[tuple[int, str]]
    stimuli: list[tuple[int, str]]
    document_organism: str | None
    context_only: frozenset[int]

    @classmethod
    def of(cls, doc: Doc, cues: Cues, words: Sequence[str]) -> DocumentContext:
        """Collect the document's context mentions (`words`: the doc's lower-cased tokens)."""
        organisms = organism_mentions(doc, cues, words)
        counts = Counter(organism for _, organism in organisms)
        main = min(counts, key=lambda o: (-counts[o], o)) if counts else None
        genotypes = genotype_mentions(doc, cues, words)
        stimuli = stimulus_mentions(doc, cues, words)
        context_only = {index for index, _ in genotypes}
        context_only |= {index for index, _, only in stimuli if only}
        return cls(
            genotypes,
            organisms,
            setting_mentions(words, cues),
            cell_source_mentions(doc, cues, words),
            [(index, text) for index, text, _ in stimuli],
            main,
            frozenset(context_only),
        )

    def for_claim(
        self, sentence: Span, claim_span: range, other_spans: Sequence[range], arguments: set[int]
    ) -> Context:
        """The context a sentence states for one claim.

        A cue inside the claim's own stretch (from its first to its last argument or trigger)
        applies to it; a cue outside every claim's stretch applies to all claims of the
        sentence ("In vitro addition of X reduced Y"); a cue inside another claim's stretch
        belongs to that claim only. The organism falls back to the document's main species.
        """

        def applicable(items: list[tuple[int, str]]) -> str | None:
            inside = [item for item in items if sentence.start <= item[0] < sentence.end]
            own = [item for item in inside if item[0] in claim_span]
            free = [item for item in inside if not any(item[0] in s for s in other_spans)]
            anchor = claim_span.start
            return _nearest(own, anchor) or _nearest(free, anchor)

        organisms = [o for o in self.organisms if sentence.start <= o[0] < sentence.end]
        return Context(
            organism=_nearest(organisms, claim_span.start) or self.document_organism,
            genotype=applicable(self.genotypes),
            setting=applicable(self.settings),
            cell_source=applicable(self.cell_sources),
            stimulus=applicable([s for s in self.stimuli if s[0] not in arguments]),
        )
