"""Parse paths on Docs built by hand: no trained model, the tree written in the test."""

from __future__ import annotations

import re

import pytest
import spacy
from spacy.tokens import Doc

import claimminer.pipeline  # noqa: F401 - registers the token extensions
from claimminer.claims.polarity import hedged_in_parse, negated_in_parse
from claimminer.claims.syntax_paths import (
    agent_of,
    clause_subject,
    conjuncts,
    direct_object_of,
    is_active_verb,
    is_passive,
    is_predicate_word,
    passive_subject_of,
    present_factor,
    stranded_subject,
    subject_of,
)
from claimminer.claims.syntax_reader import mentions_of, signed
from claimminer.rules import default_cues

VOCAB = spacy.blank("en").vocab  # with English lexical attributes (lower_, is_punct)


def parsed(
    spec: str, mentions: dict[str, str] | None = None, grounded: frozenset[str] = frozenset()
) -> Doc:
    """A Doc from 'word/TAG/head/label' items (heads are word indices; the root heads itself).

    `mentions` gives argument roles by word, as the pipeline marks merged entities;
    `grounded` the mentions with a concept id.
    """
    words, tags, heads, deps = [], [], [], []
    for item in spec.split():
        word, tag, head, dep = item.rsplit("/", 3)
        words.append(word.replace("_", " "))
        tags.append(tag)
        heads.append(int(head))
        deps.append(dep)
    doc = Doc(VOCAB, words=words, tags=tags, heads=heads, deps=deps)
    for token in doc:
        token._.cm_role = (mentions or {}).get(token.text, "")
    doc.ents = [
        doc.char_span(t.idx, t.idx + len(t), label=role, kb_id="C:" if t.text in grounded else "")
        for t in doc
        if (role := t._.cm_role) and role != "PRONOUN"
    ]
    return doc


def texts(tokens) -> list[str]:
    return [t.text for t in tokens]


def test_syntax_paths_subject_of_a_relative_clause_and_a_participle() -> None:
    doc = parsed("cells/NNS/0/ROOT that/WDT/2/nsubj secrete/VBP/0/relcl IL-4/NN/2/dobj")
    assert texts(subject_of(doc[2])) == ["cells"]
    doc = parsed("Th17_cells/NNS/0/ROOT expressing/VBG/0/acl IL-17/NN/1/dobj")
    assert texts(subject_of(doc[1])) == ["Th17 cells"]
    assert is_active_verb(doc[1])


def test_syntax_paths_raising_and_control_reach_the_governing_subject() -> None:
    doc = parsed("GATA-3/NN/3/nsubjpass has/VBZ/3/aux been/VBN/3/auxpass shown/VBN/3/ROOT "
                 "to/TO/5/aux repress/VB/3/xcomp IL-5/NN/5/dobj")  # fmt: skip
    assert texts(subject_of(doc[5])) == ["GATA-3"]
    doc = parsed("IL-12/NN/3/nsubj is/VBZ/1/ROOT able/JJ/1/acomp to/TO/4/aux "
                 "induce/VB/2/xcomp IFN-gamma/NN/4/dobj")  # fmt: skip
    doc[0].head = doc[1]
    assert texts(subject_of(doc[4])) == ["IL-12"]


def test_syntax_paths_coordinated_verbs_share_a_subject_unless_they_have_one() -> None:
    doc = parsed("IL-4/NN/1/nsubj induces/VBZ/1/ROOT and/CC/1/cc activates/VBZ/1/conj "
                 "STAT6/NN/3/dobj")  # fmt: skip
    assert texts(subject_of(doc[3])) == ["IL-4"]
    assert texts(direct_object_of(doc[1])) == ["STAT6"]


def test_syntax_paths_a_stranded_subject_starts_its_own_clause() -> None:
    """'Prolactin activates STAT5, and IL-4 activates STAT6', IL-4 misparsed as a conjunct."""
    doc = parsed("Prolactin/NN/1/nsubj activates/VBZ/1/ROOT STAT5/NN/1/dobj ,/,/2/punct "
                 "and/CC/2/cc IL-4/NN/2/conj activates/VBZ/1/conj STAT6/NN/6/dobj")  # fmt: skip
    assert stranded_subject(doc[6]) is not None
    assert texts(subject_of(doc[6])) == ["IL-4"]
    assert texts(t for t, _ in conjuncts(doc[2])) == ["STAT5"]
    assert texts(t for t, _ in conjuncts(doc[5])) == ["IL-4"]


def test_syntax_paths_passive_and_its_agents_with_a_denied_one() -> None:
    doc = parsed(
        "cytotoxicity/NN/2/nsubjpass was/VBD/2/auxpass enhanced/VBN/2/ROOT by/IN/2/agent "
        "IL-2/NN/3/pobj ,/,/3/punct but/CC/3/cc not/RB/8/neg by/IN/3/conj IL-4/NN/8/pobj"
    )
    assert is_passive(doc[2]) and not is_active_verb(doc[2])
    assert texts(passive_subject_of(doc[2])) == ["cytotoxicity"]
    assert [(t.text, denied) for t, denied in agent_of(doc[2])] == [
        ("IL-2", False), ("IL-4", True),
    ]  # fmt: skip


def test_syntax_paths_a_reduced_relative_is_passive_about_its_noun() -> None:
    doc = parsed("IL-6/NN/0/ROOT induced/VBN/0/acl by/IN/1/agent IL-1/NN/2/pobj")
    assert is_passive(doc[1])
    assert texts(passive_subject_of(doc[1])) == ["IL-6"]


def test_syntax_paths_not_only_denies_nothing() -> None:
    doc = parsed("inhibited/VBD/0/ROOT not/RB/3/preconj only/RB/1/advmod IL-6/NN/0/dobj "
                 "but/CC/3/cc also/RB/3/advmod TNF/NN/3/conj")  # fmt: skip
    assert [(t.text, d) for t, d in conjuncts(doc[3])] == [("IL-6", False), ("TNF", False)]


@pytest.mark.parametrize(
    ("spec", "node", "expected"),
    [
        # the modifier that is a mention: "NK cell cytotoxicity"
        ("NK_cell/NN/1/compound cytotoxicity/NN/1/ROOT", 1, ["NK cell"]),
        # the object of "of": "the production of IL-6"
        ("the/DT/1/det production/NN/1/ROOT of/IN/1/prep IL-6/NN/2/pobj", 1, ["IL-6"]),
        # through a noun that is about a mention: "IL-2 promoter activity"
        ("IL-2/NN/1/compound promoter/NN/2/compound activity/NN/2/ROOT", 2, ["IL-2"]),
        # an apposition: "the mediator, thrombin"
        ("mediator/NN/0/ROOT ,/,/0/punct thrombin/NN/0/appos", 0, ["thrombin"]),
        # examples after "including"
        ("factors/NNS/0/ROOT including/IN/0/prep AP-1/NN/1/pobj and/CC/2/cc CREB/NN/2/conj",
         0, ["AP-1", "CREB"]),
        # what is missing is no argument: "IL-2 deprivation"
        ("IL-2/NN/1/compound deprivation/NN/1/ROOT", 1, []),
    ],
)  # fmt: skip
def test_syntax_paths_a_noun_stands_for_what_it_is_about(
    spec: str, node: int, expected: list[str]
) -> None:
    mentions = {name: "PROTEIN" for name in ("IL-6", "IL-2", "thrombin", "AP-1", "CREB")}
    mentions["NK cell"] = "CELL_TYPE"
    doc = parsed(spec, mentions)
    labels = frozenset({"PROTEIN", "CELL_TYPE"})
    found = mentions_of(doc[node], labels, default_cues(), True, 0)
    assert [t.text for t, _ in found] == expected


@pytest.mark.parametrize(
    ("spec", "trigger", "negated", "hedged"),
    [
        ("X/NN/3/nsubj did/VBD/3/aux not/RB/3/neg inhibit/VB/3/ROOT Y/NN/3/dobj", 3, True,
         False),
        ("X/NN/1/nsubj failed/VBD/1/ROOT to/TO/3/aux inhibit/VB/1/xcomp Y/NN/3/dobj", 3, True,
         False),
        ("X/NN/1/nsubj had/VBD/1/ROOT no/DT/3/det effect/NN/1/dobj", 3, True, False),
        ("X/NN/2/nsubj may/MD/2/aux inhibit/VB/2/ROOT Y/NN/2/dobj", 2, False, True),
        (("data/NNS/1/nsubj suggest/VBP/1/ROOT that/IN/4/mark X/NN/4/nsubj "
          "inhibits/VBZ/1/ccomp Y/NN/4/dobj"), 4, False, True),
        ("X/NN/1/nsubj inhibits/VBZ/1/ROOT Y/NN/1/dobj", 1, False, False),
    ],
)  # fmt: skip
def test_syntax_paths_negation_and_hedging_from_the_clause(
    spec: str, trigger: int, negated: bool, hedged: bool
) -> None:
    doc = parsed(spec)
    cues = default_cues()
    assert negated_in_parse(doc[trigger], cues) is negated
    assert hedged_in_parse(doc[trigger], cues) is hedged


def test_syntax_paths_a_passive_subject_hung_on_its_auxiliary() -> None:
    # the parser made GIG18 the active subject of "was"
    doc = parsed("GIG18/NN/1/nsubj was/VBD/2/auxpass induced/VBN/2/ROOT by/IN/2/agent "
                 "AR/NN/3/pobj")  # fmt: skip
    assert texts(passive_subject_of(doc[2])) == ["GIG18"]
    doc = parsed("GIG18/NN/2/nsubj was/VBD/2/auxpass induced/VBN/2/ROOT")
    assert texts(passive_subject_of(doc[2])) == ["GIG18"]


def test_syntax_paths_a_noun_the_parser_coordinated_with_the_verb_is_an_object() -> None:
    doc = parsed("T-bet/NN/1/nsubj induces/VBZ/1/ROOT IFN-gamma/NN/1/dobj and/CC/1/cc "
                 "possibly/RB/5/advmod granzyme_B/NN/1/conj")  # fmt: skip
    assert texts(direct_object_of(doc[1])) == ["IFN-gamma", "granzyme B"]
    # a verb coordinated with its own subject is a clause, not an object
    doc = parsed("T-bet/NN/1/nsubj induces/VBZ/1/ROOT IFN-gamma/NN/1/dobj and/CC/1/cc "
                 "Eomes/NN/5/nsubj induces/VBZ/1/conj perforin/NN/5/dobj")  # fmt: skip
    assert texts(direct_object_of(doc[1])) == ["IFN-gamma"]


def test_syntax_paths_a_purpose_infinitive_takes_the_subject_and_the_partner() -> None:
    doc = parsed("Eomes/NN/1/nsubj cooperated/VBD/1/ROOT with/IN/1/prep Runx3/NN/2/pobj "
                 "to/TO/5/aux induce/VB/1/advcl perforin/NN/5/dobj")  # fmt: skip
    assert texts(subject_of(doc[5])) == ["Eomes", "Runx3"]
    # "with" names a partner only after a verb of cooperation
    doc = parsed("Eomes/NN/1/nsubj bound/VBD/1/ROOT with/IN/1/prep Runx3/NN/2/pobj "
                 "to/TO/5/aux induce/VB/1/advcl perforin/NN/5/dobj")  # fmt: skip
    assert texts(subject_of(doc[5])) == ["Eomes"]


def test_syntax_paths_in_addition_to_adds_a_subject() -> None:
    doc = parsed("Egr-2/NN/5/nsubj in/IN/0/prep addition/NN/1/pobj to/IN/2/prep "
                 "Egr-3/NN/3/pobj regulates/VBZ/5/ROOT FasL/NN/5/dobj")  # fmt: skip
    assert texts(subject_of(doc[5])) == ["Egr-2", "Egr-3"]


def test_syntax_paths_the_factor_present_when_no_agent_is_named() -> None:
    spec = ("Tax/NN/2/nsubjpass was/VBD/2/auxpass reduced/VBN/2/ROOT in/IN/2/prep "
            "the/DT/5/det presence/NN/3/pobj of/IN/5/prep Foxp3/NN/6/pobj")  # fmt: skip
    assert texts(present_factor(parsed(spec)[2])) == ["Foxp3"]
    with_agent = spec + " by/IN/2/agent IL-2/NN/8/pobj"
    assert present_factor(parsed(with_agent)[2]) == []
    with_means = spec + " with/IN/2/prep PHA/NN/8/pobj"
    assert present_factor(parsed(with_means)[2]) == []


def test_syntax_paths_but_not_before_a_phrase_denies_its_head() -> None:
    doc = parsed("protein/NN/0/ROOT but/CC/2/cc not/RB/0/cc the/DT/5/det related/VBN/5/amod "
                 "proteins/NN/0/conj")  # fmt: skip
    assert [(t.text, d) for t, d in conjuncts(doc[0])] == [("protein", False), ("proteins", True)]


@pytest.mark.parametrize(
    ("spec", "node", "expected"),
    [
        # a class mention stands for the names in apposition after a comma
        ("cytokines/NNS/0/ROOT ,/,/0/punct IL-4/NN/0/appos and/CC/2/cc IL-13/NN/2/conj",
         0, ["IL-4", "IL-13"]),
        # ... not for another name of itself in parentheses
        ("cytokines/NNS/0/ROOT (/-LRB-/2/punct IL-4/NN/0/appos )/-RRB-/2/punct", 0,
         ["cytokines"]),
        # a grounded or named head is a thing of its own
        ("15-lipoxygenase/NN/0/ROOT ,/,/0/punct IL-4/NN/0/appos", 0, ["15-lipoxygenase"]),
        # names the parser hung on a class noun with `dep`
        ("the/DT/1/det proteins/NNS/1/ROOT IL-8/NN/1/dep ,/,/2/punct TNF/NN/2/conj",
         1, ["IL-8", "TNF"]),
        # a noun of means stands for what was given: "treatment of T cells with IL-4"
        ("treatment/NN/0/ROOT of/IN/0/prep T_cells/NNS/1/pobj with/IN/0/prep IL-4/NN/3/pobj",
         0, ["IL-4"]),
    ],
)  # fmt: skip
def test_syntax_paths_a_class_or_a_means_stands_for_its_members(
    spec: str, node: int, expected: list[str]
) -> None:
    mentions = {"cytokines": "CYTOKINE", "IL-4": "CYTOKINE", "IL-13": "CYTOKINE",
                "IL-8": "CYTOKINE", "TNF": "CYTOKINE", "15-lipoxygenase": "PROTEIN",
                "T cells": "CELL_TYPE"}  # fmt: skip
    grounded = frozenset({"IL-4", "IL-13", "IL-8", "TNF"})
    doc = parsed(spec, mentions, grounded)
    labels = frozenset({"CYTOKINE", "PROTEIN", "CELL_TYPE"})
    found = mentions_of(doc[node], labels, default_cues(), False, 0)
    assert [t.text for t, _ in found] == expected


def test_syntax_paths_a_verb_coordinated_after_a_passive_shares_its_subject() -> None:
    doc = parsed("GATA-3/NN/2/nsubjpass is/VBZ/2/auxpass expressed/VBN/2/ROOT and/CC/2/cc "
                 "controls/VBZ/2/conj IL-5/NN/4/dobj")  # fmt: skip
    assert texts(subject_of(doc[4])) == ["GATA-3"]


def test_syntax_paths_predicate_words_after_as_and_in_a_list() -> None:
    doc = parsed("HSF1/NN/1/nsubj functions/VBZ/1/ROOT as/IN/1/prep a/DT/4/det "
                 "repressor/NN/2/pobj of/IN/4/prep IL1B/NN/5/pobj")  # fmt: skip
    assert is_predicate_word(doc[4])
    assert texts(clause_subject(doc[4])) == ["HSF1"]
    doc = parsed("IL-10/NN/1/nsubj is/VBZ/1/ROOT an/DT/3/det inhibitor/NN/1/attr of/IN/3/prep "
                 "TNF/NN/4/pobj and/CC/3/cc an/DT/8/det inducer/NN/3/conj")  # fmt: skip
    assert is_predicate_word(doc[8])
    assert texts(clause_subject(doc[8])) == ["IL-10"]
    # "such as" after a noun is no predicate
    doc = parsed("cytokines/NNS/0/ROOT such/JJ/2/amod as/IN/0/prep IL-6/NN/2/pobj")
    assert not is_predicate_word(doc[3])


def test_syntax_paths_a_sign_on_a_regulation_trigger() -> None:
    doc = parsed("X/NN/2/nsubj negatively/RB/2/advmod regulates/VBZ/2/ROOT Y/NN/2/dobj")
    assert signed("affects", doc[2]) == "decreases"
    doc = parsed("a/DT/2/det positive/JJ/2/amod regulator/NN/2/ROOT")
    assert signed("affects", doc[2]) == "increases"
    assert signed("affects", parsed("X/NN/1/nsubj regulates/VBZ/1/ROOT")[1]) == "affects"


def test_syntax_paths_a_light_verb_keeps_its_negation_from_the_noun_below() -> None:
    # "IL-4 did not exert influence on the induction of ...": the parser hung "on" on the verb
    doc = parsed("IL-4/NN/3/nsubj did/VBD/3/aux not/RB/3/neg exert/VB/3/ROOT "
                 "influence/NN/3/dobj on/IN/3/prep the/DT/7/det induction/NN/5/pobj")  # fmt: skip
    triggers = re.compile("^(?:influenc|induc)")
    assert not negated_in_parse(doc[7], default_cues(), triggers)
    assert negated_in_parse(doc[7], default_cues())


def test_syntax_paths_a_verb_after_but_keeps_no_negation_of_the_first() -> None:
    doc = parsed("X/NN/3/nsubj does/VBZ/3/aux not/RB/3/neg inhibit/VB/3/ROOT A/NN/3/dobj "
                 "but/CC/3/cc prevents/VBZ/3/conj B/NN/6/dobj")  # fmt: skip
    assert negated_in_parse(doc[3], default_cues())
    assert not negated_in_parse(doc[6], default_cues())
    # "and" shares the negation: "does not induce A and activate B"
    doc = parsed("X/NN/3/nsubj does/VBZ/3/aux not/RB/3/neg induce/VB/3/ROOT A/NN/3/dobj "
                 "and/CC/3/cc activate/VB/3/conj B/NN/6/dobj")  # fmt: skip
    assert negated_in_parse(doc[6], default_cues())


def test_syntax_paths_whether_or_not_denies_nothing() -> None:
    doc = parsed("whether/IN/5/mark or/CC/5/cc not/RB/5/neg human/JJ/4/amod "
                 "macrophages/NNS/5/nsubj produce/VBP/5/ROOT NO/NN/5/dobj")  # fmt: skip
    assert [(t.text, d) for t, d in conjuncts(doc[4])] == [("macrophages", False)]


def test_syntax_paths_a_bare_attachment_after_a_passive_shares_no_subject() -> None:
    # a misparse: "costimulated" hung on "seen" with no conjunction between them
    doc = parsed("induction/NN/2/nsubjpass was/VBD/2/auxpass seen/VBN/2/ROOT "
                 "costimulated/VBD/2/conj cells/NNS/3/dobj")  # fmt: skip
    assert subject_of(doc[3]) == []
