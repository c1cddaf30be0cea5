"""Claim construction: negation scope, hedging, coordination, direction, context, pronouns."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimminer.model import Claim, Document


def described(document: Document) -> list[tuple[str, str, str, bool, bool]]:
    entities = document.entity_index()
    return [
        (entities[c.subject].text, c.predicate, entities[c.object].text, c.negated, c.hedged)
        for c in document.claims
    ]


def only_claim(document: Document) -> Claim:
    assert len(document.claims) == 1, described(document)
    return document.claims[0]


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Dexamethasone did not reduce IL-6 in macrophages.", True),
        ("Dexamethasone failed to reduce IL-6.", True),
        ("Dexamethasone reduced IL-6.", False),
        # The cue belongs to another clause: the breaker stops its scope.
        ("IL-4 was not detected, and dexamethasone reduced IL-6.", False),
        # "not only" does not negate.
        ("IL-2 is produced not only by T cells but also by NK cells.", False),
        # a nominal trigger that is the negated verb's object shares its cue
        ("Foxp3 failed to markedly affect transcriptional activation of c-Jun.", True),
    ],
)
def test_claims_negation_scope(extract, text: str, negated: bool) -> None:
    claims = extract(text).claims
    assert claims
    assert {c.negated for c in claims} == {negated}


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("Dexamethasone may reduce IL-6.", True),
        ("These data suggest that dexamethasone reduces IL-6.", True),
        ("Dexamethasone reduces IL-6.", False),
    ],
)
def test_claims_hedging(extract, text: str, hedged: bool) -> None:
    assert only_claim(extract(text)).hedged is hedged


def test_claims_coordinated_objects_each_get_a_claim(extract) -> None:
    document = extract("Dexamethasone inhibited IL-1beta, IL-6 and TNF-alpha.")
    assert [c[2] for c in described(document)] == ["IL-1beta", "IL-6", "TNF-alpha"]
    assert {c[1] for c in described(document)} == {"decreases"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IL-4/IL-13-induced STAT6 was measured.",
         {("IL-4", "increases", "STAT6"), ("IL-13", "increases", "STAT6")}),
        ("TNF-alpha activates NF-kappaB (p50/p65) in monocytes.",
         {("TNF-alpha", "increases", "NF-kappaB"), ("TNF-alpha", "increases", "p50"),
          ("TNF-alpha", "increases", "p65")}),
    ],
)  # fmt: skip
def test_claims_slash_and_parenthesis_coordinate_arguments(extract, text: str, expected) -> None:
    assert {c[:3] for c in described(extract(text))} == expected


def test_claims_object_of_an_earlier_clause_is_not_a_coordinated_subject(extract) -> None:
    document = extract("Prolactin activates STAT5, and IL-4 activates STAT6.")
    assert ("STAT5", "increases", "STAT6") not in {c[:3] for c in described(document)}
    assert ("IL-4", "increases", "STAT6") in {c[:3] for c in described(document)}


@pytest.mark.parametrize(
    "text",
    [
        "IL-2 secretion was increased in the presence of IL-4.",  # passive: IL-2 acts on nothing
        "STAT6 activation plays an essential role in IL-4 signalling.",  # STAT6's own process
    ],
)
def test_claims_active_rules_need_an_agent_subject(extract, text: str) -> None:
    active = ("increases_active", "increases_second_verb")
    assert not [c for c in extract(text).claims if c.rule in active]


def test_claims_no_right_after_the_trigger_negates(extract) -> None:
    document = extract("Unstimulated monocytes released no detectable IL-6.")
    assert [c[1:4] for c in described(document)] == [("produces", "IL-6", True)]


def test_claims_a_cue_scopes_the_first_trigger_after_it(extract) -> None:
    document = extract("Dexamethasone was ineffective for reducing IL-6 production by macrophages.")
    flags = {c[:3]: c[3] for c in described(document)}
    assert flags[("Dexamethasone", "decreases", "IL-6")] is True
    assert flags[("macrophages", "produces", "IL-6")] is False
    # verbs joined by "or" share the cue
    shared = extract("IL-10 did not induce or enhance IL-6 in monocytes.")
    assert {c[3] for c in described(shared)} == {True}


@pytest.mark.parametrize(
    "text",
    [
        "Keratinocytes stimulated with poly(I:C) secreted IFN-beta.",  # the cells were stimulated
        "In cells stimulated with anti-CD28 antibodies, IL-12 increased IFN-gamma.",  # a comma
    ],
)
def test_claims_a_stimulated_cell_or_reagent_is_no_agent(extract, text: str) -> None:
    subjects = {c[0] for c in described(extract(text)) if c[1] == "increases"}
    assert subjects <= {"IL-12"}


def test_claims_but_not_in_a_subject_list_denies_what_follows_it(extract_accurate) -> None:
    """On the wider parser: the joint one hangs this list of five differently."""
    document = extract_accurate(
        "IFN-beta or IFN-gamma, but not IL-1, IL-6 or IL-2, suppressed STAT6."
    )
    negated = {c[0]: c[3] for c in described(document)}
    assert negated == {
        "IFN-beta": False, "IFN-gamma": False, "IL-1": True, "IL-6": True, "IL-2": True,
    }  # fmt: skip


def test_claims_hanging_hyphen_coordinates_modifiers(extract) -> None:
    document = extract("TNF-alpha- and IL-1beta-induced ICAM-1 expression was studied.")
    assert {c[:3] for c in described(document)} == {
        ("TNF-alpha", "increases", "ICAM-1"),
        ("IL-1beta", "increases", "ICAM-1"),
    }


def test_claims_an_earlier_verb_is_used_when_the_nearer_trigger_is_a_noun(extract) -> None:
    document = extract("GATA3 potentiated the induction of RALDH2 in these cells.")
    assert ("GATA3", "increases", "RALDH2") in {c[:3] for c in described(document)}


@pytest.mark.parametrize(
    "text",
    [
        "Runx3 cooperates with the induced factor T-bet in CD8+ T cells.",  # adjective
        "IRF-4 expression depends on binding of the transactivator c-Rel.",  # agent noun as a title
        "We saw binding of Sp1 in nuclear extracts and inducible binding of p50.",  # -ible
    ],
)
def test_claims_adjectival_and_title_triggers_make_no_active_claim(extract, text: str) -> None:
    active = ("increases_active", "increases_second_verb")
    assert not [c for c in extract(text).claims if c.rule in active]


def test_claims_a_mention_after_by_qualifies_the_noun_before_it(extract) -> None:
    document = extract("IL-4 production by Th2 cells was dependent on STAT6.")
    assert ("STAT6", "required_for", "IL-4") in {c[:3] for c in described(document)}
    assert ("STAT6", "required_for", "Th2 cells") not in {c[:3] for c in described(document)}


def test_claims_a_second_verb_phrase_shares_the_clause_subject(extract) -> None:
    document = extract("Runx3 is present in naive T cells and represses Runx1 and induces Eomes.")
    found = {c[:3] for c in described(document)}
    assert {("Runx3", "decreases", "Runx1"), ("Runx3", "increases", "Eomes")} <= found
    assert ("Runx1", "increases", "Eomes") not in found


def test_claims_the_object_of_a_first_verb_is_no_subject_of_the_second(extract) -> None:
    document = extract("The drug inhibits IL-2 production and decreases CD25 expression.")
    assert ("IL-2", "decreases", "CD25") not in {c[:3] for c in described(document)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "p50/p65 and STAT6 are induced by CD40L and IL-4, respectively.",
            {("CD40L", "increases", "p50"), ("CD40L", "increases", "p65"),
             ("IL-4", "increases", "STAT6")},
        ),
        (
            "IL-12 and IL-4 induce IFN-gamma and IL-13, respectively, in T cells.",
            {("IL-12", "increases", "IFN-gamma"), ("IL-4", "increases", "IL-13")},
        ),
        # Lists of different lengths cannot be read pairwise: every pair is kept.
        (
            "IL-12 and IL-18 induce IFN-gamma, TNF-alpha and IL-13, respectively.",
            {(s, "increases", o) for s in ("IL-12", "IL-18")
             for o in ("IFN-gamma", "TNF-alpha", "IL-13")},
        ),
    ],
)  # fmt: skip
def test_claims_respectively_pairs_the_lists_in_order(extract, text: str, expected) -> None:
    assert {c[:3] for c in described(extract(text))} == expected


@pytest.mark.parametrize(
    "text",
    [
        "IFN-beta inhibited IL-2 deprivation apoptosis in T cells.",
        "The Tax protein abrogates IL-2 dependence of the cells.",
        "The receptor chain controls responsiveness to IFN-gamma.",
    ],
)
def test_claims_a_mention_that_names_an_absence_or_a_need_is_no_argument(extract, text) -> None:
    found = {c[:3] for c in described(extract(text))}
    assert not any("IL-2" in c or "IFN-gamma" in c for c in found), found


def test_claims_but_not_in_parentheses_denies_what_it_encloses(extract) -> None:
    subjects = described(
        extract("Ligation of CD28 (but not CD2 or CD5) leads to c-jun expression.")
    )
    assert {(c[0], c[3]) for c in subjects} == {("CD28", False), ("CD2", True), ("CD5", True)}
    objects = described(extract("IL-12 induced IFN-gamma (but not IL-4) in T cells."))
    assert {(c[2], c[3]) for c in objects} == {("IFN-gamma", False), ("IL-4", True)}


def test_claims_any_hyphenated_participle_makes_a_modifier(extract) -> None:
    document = extract("Expression of MEK1-interfering mutants inhibited IL-2 production.")
    assert ("MEK1", "decreases", "IL-2") not in {c[:3] for c in described(document)}


def test_claims_a_mention_is_never_a_trigger(extract) -> None:
    document = extract("IL-27 is released by activated dendritic cells and macrophages.")
    assert {c[:3] for c in described(document)} == {
        ("activated dendritic cells", "produces", "IL-27"),
        ("macrophages", "produces", "IL-27"),
    }


def test_claims_differentiation_into_names_the_product(extract) -> None:
    document = extract("IL-6 induces the differentiation of naive CD4+ T cells into Th17 cells.")
    assert {c[:3] for c in described(document)} == {("IL-6", "increases", "Th17 cells")}


def test_claims_a_binding_site_is_no_object_but_a_promoter_is(extract) -> None:
    site = extract("IL-2 activated the promoter containing the STAT5 element.")
    assert not site.claims, described(site)
    promoter = extract("IL-2 activated the IL-4 promoter in T cells.")
    assert ("IL-2", "increases", "IL-4") in {c[:3] for c in described(promoter)}


def test_claims_a_class_name_before_its_members_is_no_argument(extract) -> None:
    document = extract("IL-4 reduced the proinflammatory cytokines IL-1beta and IL-8.")
    assert {c[:3] for c in described(document)} == {
        ("IL-4", "decreases", "IL-1beta"),
        ("IL-4", "decreases", "IL-8"),
    }


def test_claims_a_new_clause_subject_is_no_coordinated_object(extract) -> None:
    document = extract("Prolactin activates STAT5, and IL-4 (interleukin-4) activates STAT6.")
    assert ("Prolactin", "increases", "IL-4") not in {c[:3] for c in described(document)}


def test_claims_a_modifier_does_not_block_the_way_to_its_noun(extract) -> None:
    document = extract("IL-10 attenuated LPS-stimulated TNF-alpha production.")
    assert ("IL-10", "decreases", "TNF-alpha") in {c[:3] for c in described(document)}


def test_claims_a_hyphenated_stimulus_hands_the_claim_to_the_noun_it_qualifies(extract) -> None:
    document = extract("Dexamethasone inhibited IL-1beta-induced IL-6 expression.")
    assert {c[:3] for c in described(document)} == {
        ("Dexamethasone", "decreases", "IL-6"),
        ("IL-1beta", "increases", "IL-6"),
    }


def test_claims_but_not_negates_only_the_excluded_argument(extract) -> None:
    document = extract("IL-12, but not IL-4, induced IFN-gamma.")
    assert set(described(document)) == {
        ("IL-12", "increases", "IFN-gamma", False, False),
        ("IL-4", "increases", "IFN-gamma", True, False),
    }


def test_claims_produces_goes_from_cell_to_cytokine(extract) -> None:
    document = extract("IL-10 is produced by regulatory T cells.")
    assert described(document) == [("regulatory T cells", "produces", "IL-10", False, False)]
    assert extract("IL-10 produced IL-6 by NK cells.").claims == () or all(
        c.predicate != "produces" or document.entity(c.subject).label == "CELL_TYPE"
        for c in document.claims
    )


def test_claims_a_cytokine_never_produces_a_cell(extract) -> None:
    document = extract("IL-7 produces T cells.")
    assert all(c.predicate != "produces" for c in document.claims)


def test_claims_trigger_without_arguments_gives_nothing(extract) -> None:
    assert extract("Proliferation was strongly reduced after treatment.").claims == ()


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("In vitro, dexamethasone reduced IL-6 in cells from mice.", "setting", "in vitro"),
        ("In vitro, dexamethasone reduced IL-6 in cells from mice.", "organism", "mouse"),
        ("Dexamethasone reduced IL-6 in IL-10-/- mice.", "genotype", "IL-10 KO"),
        ("Dexamethasone reduced IL-6 in IL-10 knockout mice.", "genotype", "IL-10 KO"),
        ("Dexamethasone reduced IL-6 in IL-10-deficient mice.", "genotype", "IL-10 KO"),
        ("Dexamethasone reduced IL-6 in wild-type mice.", "genotype", "wild type"),
        ("Dexamethasone reduced IL-6 in LMP1 transgenic mice.", "genotype", "LMP1 transgenic"),
        ("Dexamethasone reduced IL-6 in murine macrophages.", "organism", "mouse"),
    ],
)
def test_claims_context_from_the_sentence(extract, text: str, field: str, value: str) -> None:
    assert getattr(only_claim(extract(text)).context, field) == value


def test_claims_genotype_gene_is_not_an_argument(extract) -> None:
    document = extract("Dexamethasone reduced IL-6 in IL-10 knockout mice.")
    assert described(document) == [("Dexamethasone", "decreases", "IL-6", False, False)]


def test_claims_organism_falls_back_to_the_document(extract) -> None:
    document = extract("Mice were studied. Dexamethasone reduced IL-6.")
    assert only_claim(document).context.organism == "mouse"


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Splenocytes from IL-10 knockout mice produced IFN-gamma.", "cell_source",
         "IL-10 knockout mice"),
        ("Con A-stimulated splenocytes produced IFN-gamma.", "stimulus", "Con A"),
        ("Macrophages stimulated with LPS secreted TNF-alpha.", "stimulus", "LPS"),
    ],
)  # fmt: skip
def test_claims_cell_source_and_stimulus(extract, text: str, field: str, value: str) -> None:
    assert getattr(only_claim(extract(text)).context, field) == value


def test_claims_cytokine_before_a_hyphenated_participle_can_still_be_the_subject(extract) -> None:
    claim = only_claim(extract("IL-4-induced differentiation of Th2 cells was studied."))
    assert (claim.predicate, claim.context.stimulus) == ("increases", None)


def test_claims_context_cue_of_one_claim_does_not_leak_to_another(extract) -> None:
    document = extract(
        "Vitamin D was ineffective for suppressing colitis and ineffective for the in vitro "
        "downregulation of IL-10."
    )
    settings = {document.entity(c.object).text: c.context.setting for c in document.claims}
    assert settings == {"colitis": None, "IL-10": "in vitro"}


def test_claims_pronoun_resolves_to_previous_topic(extract) -> None:
    document = extract("IL-2 is a growth factor. It is produced by activated T cells.")
    claim = only_claim(document)
    assert document.entity(claim.object).text == "IL-2"
    assert document.text[claim.sentence_start : claim.sentence_end].startswith("It is produced")


def test_claims_record_rule_trigger_and_sentence(extract_surface) -> None:
    document = extract_surface("Before. IL-12 strongly induces IFN-gamma.")
    claim = only_claim(document)
    assert claim.rule == "increases_active"
    assert document.text[claim.trigger_start : claim.trigger_end] == "induces"
    assert document.text[claim.sentence_start : claim.sentence_end] == (
        "IL-12 strongly induces IFN-gamma."
    )


# --- the seed corpus: what issue 2 promises, claim by claim -----------------------------------


@pytest.fixture(scope="module")
def bemiss(extract, corpus_dir: Path) -> Document:
    return extract((corpus_dir / "bemiss2002.txt").read_text(encoding="utf-8"), "bemiss2002")


def find(document: Document, subject: str, predicate: str, object_: str) -> list[Claim]:
    return [
        c
        for c in document.claims
        if document.entity(c.subject).concept_name == subject
        and c.predicate == predicate
        and document.entity(c.object).concept_name == object_
    ]


def test_claims_seed_negated_findings(bemiss: Document) -> None:
    colitis = find(bemiss, "calcitriol", "affects", "colitis")
    assert [(c.negated, c.context.genotype) for c in colitis] == [(True, "IL-2 KO")]
    refractory = find(bemiss, "calcitriol", "affects", "IL10") + find(
        bemiss, "calcitriol", "affects", "IFNG"
    )
    assert len(refractory) == 2
    assert all(c.negated and c.context.genotype == "IL-2 KO" for c in refractory)
    without_il2 = [c for c in bemiss.claims if bemiss.entity(c.subject).text == "vitamin D"]
    assert {bemiss.entity(c.object).text for c in without_il2} == {"colitis", "IL-10", "IFN-gamma"}
    assert all(c.negated and c.predicate == "decreases" for c in without_il2)


def test_claims_seed_wild_type_in_vitro_reductions(bemiss: Document) -> None:
    reductions = find(bemiss, "calcitriol", "decreases", "IL10") + find(
        bemiss, "calcitriol", "decreases", "IFNG"
    )
    assert len(reductions) == 2
    for claim in reductions:
        assert not claim.negated
        assert claim.context.as_dict() == {
            "organism": "mouse",
            "genotype": "wild type",
            "setting": "in vitro",
            "cell_source": "D- and D+ WT mice",
        }


def test_claims_seed_background_says_who_makes_il2_and_what_it_acts_on(
    extract, corpus_dir: Path
) -> None:
    overview = extract((corpus_dir / "il2-overview.txt").read_text(encoding="utf-8"))
    producers = {
        overview.entity(c.subject).text for c in overview.claims if c.predicate == "produces"
    }
    assert producers == {"activated T-cells", "CD4+ T-helper cells"}
    targets = {overview.entity(c.object).text for c in overview.claims if c.predicate == "affects"}
    assert targets == {"B-cells", "macrophages", "natural killer (NK) cells"}


def test_claims_neither_nor_negates_both(extract) -> None:
    assert set(described(extract("Neither IL-4 nor IL-13 induced IFN-gamma."))) == {
        ("IL-4", "increases", "IFN-gamma", True, False),
        ("IL-13", "increases", "IFN-gamma", True, False),
    }


def test_claims_hyphenated_stimulus_of_cells_is_not_a_claim(extract) -> None:
    document = extract("Con A-stimulated splenocytes produced IFN-gamma.")
    assert described(document) == [("splenocytes", "produces", "IFN-gamma", False, False)]


def test_claims_a_promoter_is_not_a_subject(extract) -> None:
    assert extract("The IL-2 promoter strongly inhibited IL-4.").claims == ()
    assert [c.predicate for c in extract("IL-2 strongly inhibited IL-4.").claims] == ["decreases"]


def test_claims_a_hyphenated_participle_acts_only_for_its_own_modifier(extract) -> None:
    document = extract("IL-6 is required for the development of collagen-induced arthritis.")
    found = {c[:3] for c in described(document)}
    assert ("IL-6", "increases", "arthritis") not in found
    assert ("IL-6", "required_for", "arthritis") in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Transcription factors including AP-1, CREB and Sp-1 were not affected by IL-10.",
            {
                ("IL-10", "affects", name, True, False)
                for name in ("Transcription factors", "AP-1", "CREB", "Sp-1")
            },
        ),
        (
            "Cytokines such as IL-2, IL-4 and IL-7 activate STAT5 in T cells.",
            {("Cytokines", "increases", "STAT5", False, False)}
            | {(name, "increases", "STAT5", False, False) for name in ("IL-2", "IL-4", "IL-7")},
        ),
    ],
)
def test_claims_examples_of_a_noun_share_its_claim(extract, text: str, expected: set) -> None:
    """The parse relates the noun; the surface reader's claims on its examples stay."""
    assert set(described(extract(text))) == expected


def test_claims_but_not_reaches_past_a_determiner_and_a_modifier(extract) -> None:
    """'but not the empty GFP vector': GFP is denied, not affirmed."""
    found = described(extract("IL-12, but not the empty GFP vector, increased perforin."))
    about_gfp = [claim for claim in found if claim[0].startswith("GFP")]
    assert about_gfp and all(negated for _, _, _, negated, _ in about_gfp), found
    assert described(extract("IL-2 does not induce IL-4."))[0][3] is True
