"""Claims from a processed Doc: rule matching, coordination, negation, hedging and context.

Input is a Doc whose entities are merged into single tokens (spaCy's `merge_entities`), so a
rule pattern sees one token per argument. The functions here read the Doc and return values;
they never change it except for the token roles they mark before matching.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from claimminer.model import Claim, Context, Label
from claimminer.rules import PRONOUN, Cues, DependencyRule, Element, Rule, RuleSet

PRONOUNS = frozenset({"it", "they"})
CELL_LABELS = frozenset({Label.CELL_TYPE.value, Label.CELL_LINE.value})
STIMULUS_LABELS = frozenset({Label.CHEMICAL.value, Label.CYTOKINE.value, Label.PROTEIN.value})
ARGUMENT_LABELS = frozenset(label.value for label in Label) - {Label.SPECIES.value}
# Connectors between coordinated arguments; "but not" flips the polarity of what follows.
# A slash ("IL-4/IL-13-induced", "p50/p65") and a parenthesis ("NF-kappaB (p50/p65)",
# "CR1 (CD35) and CR3") join names that share the statement, as does a hanging hyphen
# ("TNF-alpha- and LPS-induced"). Longer connectors come first.
CONNECTORS: tuple[tuple[str, ...], ...] = (
    (")", ",", "and"), (")", "and"), (")", "or"), (")", ","), ("/",), ("(", "but", "not"), ("(",),
    ("-", ",", "and"), ("-", "and"), ("-", "or"), ("-", ","),
    (",", "and"), (",", "or"), ("and",), ("or",), ("and/or",), ("as", "well", "as"),
    (",", "but", "not"), ("but", "not"), ("nor",), (",",),
)  # fmt: skip
FLIPPING_CONNECTORS = frozenset({(",", "but", "not"), ("(", "but", "not"), ("but", "not")})
ARGUMENT_NEGATORS = frozenset({"not", "nor", "neither"})
# Nouns that may stand between an argument and a connector: "1,25D3 supplementation, but not".
ARGUMENT_HEADS = frozenset(
    {"supplementation", "treatment", "production", "expression", "secretion", "release",
     "levels", "level", "administration", "signaling", "signalling", "activity", "mrna",
     "protein", "gene", "cells", "proliferation", "signals", "signal", "engagement",
     "ligation"}
)  # fmt: skip


LIST_CONNECTORS = frozenset({",", "and", "or", "/"})
# Prepositions whose phrase never holds a clause's subject ("of" may: "expression of IL-4").
PHRASE_PREPOSITIONS = frozenset(
    {"to", "by", "with", "in", "on", "from", "for", "than", "through", "via"}
)
CLAUSE_OPENERS = frozenset({",", ";", ":", "that", "which", "whereas", "while", "although"})
CLAUSE_PREPOSITIONS = frozenset({"to", "of", "by", "with", "in", "on", "from", "for", "than"})
BE_FORMS = frozenset({"is", "are", "was", "were", "be", "been", "being"})
MODIFYING_ADVERBS = frozenset(
    {"also", "further", "then", "strongly", "markedly", "significantly", "greatly", "not",
     "only", "partially", "completely", "potently", "rapidly", "selectively", "specifically",
     "consistently", "dramatically", "profoundly", "effectively", "efficiently", "slightly",
     "negatively", "positively", "directly", "indirectly", "differentially"}
)  # fmt: skip
NOMINAL_ENDINGS = ("ion", "ions", "ement", "ements")  # not "augments": a verb
AGENT_ENDINGS = ("or", "ors", "er", "ers")
DETERMINERS = frozenset({"a", "an", "the", "this", "these", "its", "their"})


@dataclass(frozen=True, slots=True)
class Match:
    """One rule match: token indices of the trigger and the two arguments."""

    rule: Rule
    trigger: int
    subject: int
    object: int
    start: int
    end: int


# ---------------------------------------------------------------------------------------------
# Token roles and patterns


def mark_roles(doc: Doc, context_only: frozenset[int], cues: Cues) -> dict[int, int]:
    """Mark argument tokens with their label and pronouns with PRONOUN; return token -> entity.

    Species and the entities in `context_only` (a genotype such as "IL-2 KO mice", a stimulus
    such as "stimulated with LPS") are context, not arguments, so they get no role and do not
    block pattern skips. A modifier ("LPS-stimulated TNF-alpha production") keeps its role but
    does not block skips either, so a pattern reaches the noun it qualifies.
    """
    entity_of_token = {ent.start: number for number, ent in enumerate(doc.ents)}
    describing = {ent.start for ent in doc.ents if ent.has_extension("describes_other")
                  and ent._.describes_other}  # fmt: skip
    for token in doc:
        if token.i in entity_of_token:
            label = token.ent_type_
            eligible = (
                label in ARGUMENT_LABELS
                and token.i not in context_only
                and token.i not in describing
            )
            token._.cm_role = label if eligible else ""
        elif token.lower_ in PRONOUNS:
            token._.cm_role = PRONOUN
        else:
            token._.cm_role = ""
    for token in doc:
        token._.cm_opaque = bool(token._.cm_role) and (
            _modifier_participle(doc, token.i, cues) is None
        )
    return entity_of_token


def _element_pattern(element: Element, rule: Rule, rules: RuleSet) -> dict[str, object]:
    barrier = {"NOT_IN": [*rules.barriers, *element.excluded]}
    if element.kind == "role":
        labels = rule.subject_labels if element.role == "subject" else rule.object_labels
        return {"_": {"cm_role": {"IN": sorted(labels)}}}
    if element.kind == "trigger":
        stems = "|".join(sorted(rules.triggers[element.trigger or ""]))
        # a merged mention is never a trigger: "activated dendritic cells" names cells
        token: dict[str, object] = {"LOWER": {"REGEX": f"^(?:{stems})"}, "ENT_TYPE": ""}
    elif element.kind == "words":
        token = {"LOWER": {"IN": list(element.words)}}
    else:
        # "*" and a length check on the alignment afterwards: spaCy expands "{0,n}" into n
        # optional states, which multiplies across the skips of a pattern.
        token = {"LOWER": barrier, "OP": "*"}
        if not element.through_arguments:
            token["_"] = {"cm_opaque": False}
        return token
    if element.optional:
        token["OP"] = "?"
    return token


class RuleMatcher:
    """All rules of a rule set compiled into one spaCy Matcher for a vocabulary.

    Dependency rules, when given, run only on documents that a parser has annotated.
    """

    def __init__(
        self, rules: RuleSet, vocab: Vocab, dependency_rules: Sequence[DependencyRule] = ()
    ) -> None:
        self.rules = rules
        self.by_name = {rule.name: rule for rule in rules.rules}
        self.order = {rule.name: position for position, rule in enumerate(rules.rules)}
        self.dependency = [
            (
                _as_rule(rule),
                re.compile("^(?:" + "|".join(rules.triggers[rule.trigger]) + ")"),
                rule,
            )
            for rule in dependency_rules
        ]
        self.trigger_patterns = {
            name: re.compile("^(?:" + "|".join(group) + ")")
            for name, group in rules.triggers.items()
        }
        stems = sorted({stem for group in rules.triggers.values() for stem in group})
        self.any_trigger = re.compile("^(?:" + "|".join(stems) + ")")
        self.matcher = Matcher(vocab, validate=True)
        for rule in rules.rules:
            self.matcher.add(rule.name, [[_element_pattern(e, rule, rules) for e in rule.pattern]])


def find_matches(doc: Doc, sentence: Span, rule_matcher: RuleMatcher) -> list[Match]:
    """Rule matches inside one sentence, with the token that filled each role."""
    found = []
    matches = rule_matcher.matcher(sentence, with_alignments=True)
    for match_id, start, end, alignment in matches:  # type: ignore[misc]
        rule = rule_matcher.by_name[doc.vocab.strings[match_id]]
        base = sentence.start + start
        aligned = _acceptable_alignment(doc, rule, rule_matcher, base, list(alignment))
        if aligned is None:
            continue
        slots = _slots(rule, aligned, base)
        if _qualifies_a_noun(doc, slots["object"], slots["trigger"]):
            continue
        if rule.opens_clause and not _opens_clause(
            doc, sentence, slots[rule.opens_clause], rule_matcher.any_trigger
        ):
            continue
        found.append(
            Match(rule, slots["trigger"], slots["subject"], slots["object"],
                  base, sentence.start + end)
        )  # fmt: skip
    return _nearest_per_trigger(found)


def _slots(rule: Rule, alignment: Sequence[int], base: int) -> dict[str, int]:
    """Token index of each role of a match.

    Subject, object and trigger (the last one: "... and the downregulation"), and the
    trigger that must read as active ("verb"), if any.
    """
    slots: dict[str, int] = {}
    for offset, element_index in enumerate(alignment):
        element = rule.pattern[element_index]
        key = element.role if element.kind == "role" else element.kind
        if key == "trigger":
            slots[key] = base + offset
            if element.active_voice:
                slots["verb"] = base + offset
        else:
            slots.setdefault(key or "", base + offset)
    return slots


def _acceptable_alignment(
    doc: Doc, rule: Rule, rule_matcher: RuleMatcher, base: int, alignment: list[int]
) -> list[int] | None:
    """An alignment of the match that keeps every skip in its bound and reads active.

    The match's own, or one with a trigger moved earlier: spaCy aligns "*" skips greedily,
    so the trigger slot takes the last trigger word. In 'GATA3 potentiated the induction of
    RALDH2' that is the nominal 'induction' (not active), and in 'C3a as well as C3a(desArg)
    enhanced LPS-induced IL-6' the skip before 'induced' overruns its bound, although
    'potentiated' and 'enhanced' fit. The words between the two candidates then belong to the
    skip after the trigger, within its bound and exclusions.
    """

    def acceptable(candidate: list[int]) -> bool:
        if not _skips_within_bounds(rule, candidate):
            return False
        slots = _slots(rule, candidate, base)
        return "verb" not in slots or reads_as_active(doc, slots["verb"], slots["subject"])

    if acceptable(alignment):
        return alignment
    for k, element in enumerate(rule.pattern):
        if element.kind != "trigger" or not 0 < k < len(rule.pattern) - 1:
            continue
        before, after = rule.pattern[k - 1], rule.pattern[k + 1]
        if before.kind != "skip" or after.kind != "skip" or k not in alignment:
            continue
        stems = rule_matcher.trigger_patterns[element.trigger or ""]
        current = alignment.index(k)
        for position in range(current - 1, -1, -1):
            if alignment[position] != k - 1:
                break
            moved = [doc[base + i] for i in range(position + 1, current + 1)]
            if any(
                t.lower_ in after.excluded or (t._.cm_opaque and not after.through_arguments)
                for t in moved
            ) or not stems.match(doc[base + position].lower_):
                continue
            candidate = [*alignment[:position], k, *[k + 1] * len(moved), *alignment[current + 1 :]]
            if acceptable(candidate):
                return candidate
    return None


def _opens_clause(doc: Doc, sentence: Span, argument: int, any_trigger: re.Pattern[str]) -> bool:
    """No argument and no finite trigger verb stand between the clause start and the argument.

    Names coordinated with it ('IL-5, IL-13 and IL-4 require') are part of it. In 'DMDTC
    inhibits IL-2 production and decreases CD25', IL-2 is the object of 'inhibits', so it is
    not the subject that the second verb shares.
    """
    start = argument
    while True:
        before = start - 1
        while before > sentence.start and doc[before].lower_ in LIST_CONNECTORS:
            before -= 1
        if before == start - 1 or not doc[before]._.cm_role:
            break
        start = before
    if start > sentence.start and doc[start - 1].lower_ in PHRASE_PREPOSITIONS:
        return False  # "cells cultured with IL-12 require": IL-12 sits in a phrase
    for position in range(start - 1, sentence.start - 1, -1):
        token = doc[position]
        if token.lower_ in CLAUSE_OPENERS:
            return True
        if token._.cm_opaque or _is_finite_trigger(token, any_trigger):
            return False
    return True


def _is_finite_trigger(token: Token, any_trigger: re.Pattern[str]) -> bool:
    """'inhibits', 'reduced': a trigger word with a verb's ending.

    Not a noun or an agent, nor a modifier ('IL-4-induced', 'the induced').
    """
    word = token.lower_
    before = token.nbor(-1) if token.i > 0 else None
    return (
        bool(any_trigger.match(word))
        and word.endswith(("s", "ed"))
        and not word.endswith(NOMINAL_ENDINGS + AGENT_ENDINGS)
        and (before is None or (before.text != "-" and before.lower_ not in DETERMINERS))
    )


def _qualifies_a_noun(doc: Doc, object_: int, trigger: int) -> bool:
    """Whether a mention before the trigger qualifies the noun before it.

    In 'IL-4 production by Th2 cells was dependent on' or 'cells expanded with IL-2 were
    unresponsive to', a mention right after 'by', 'from' or 'with' is not what the clause is
    about.
    """
    return object_ < trigger and object_ > 0 and doc[object_ - 1].lower_ in ("by", "from", "with")


def reads_as_active(doc: Doc, trigger: int, subject: int) -> bool:
    """Whether the subject acts through the trigger.

    Not in 'IL-2 secretion was increased' (a passive participle: the subject is what changed)
    nor in 'STAT6 activation plays a role' (the subject's own process, not its act).
    """
    word = doc[trigger].lower_
    if word.endswith(("ible", "able")):
        return False  # "inducible binding of p50": an adjective, no act
    if (
        trigger > 0
        and doc[trigger - 1].text == "-"
        and any(
            token.text not in "()" and not token._.cm_role
            for token in doc[subject + 1 : trigger - 1]
        )
    ):
        return False  # "collagen-induced arthritis": only collagen acts through "induced"
    before = trigger - 1
    while before > subject and doc[before].lower_ in MODIFYING_ADVERBS:
        before -= 1
    if word.endswith("ed") and doc[before].lower_ in BE_FORMS:
        return False
    after = doc[trigger + 1].lower_ if trigger + 1 < len(doc) else ""
    if word.endswith("ed") and (
        after in ("with", "by") or doc[trigger - 1].lower_ in CLAUSE_PREPOSITIONS
    ):
        return False  # "keratinocytes stimulated with poly(I:C)", "released by activated cells"
    if doc[trigger - 1].lower_ in DETERMINERS:
        return False  # "cooperates with the induced T-bet", "an enhanced release of TNF"
    if word.endswith(AGENT_ENDINGS) and after not in ("of", "for"):
        return False  # "the transactivator c-Rel" names c-Rel; "an inducer of" acts
    follows_subject = before == subject or (
        before == subject + 1 and doc[before].lower_ in ARGUMENT_HEADS
    )
    nominal = word.endswith(NOMINAL_ENDINGS)
    if nominal and any(doc[i].text in (",", ";") for i in range(subject + 1, trigger)):
        return False  # "IL-2 production, inhibition of c-myc": a list, not an agent
    return not (follows_subject and nominal and after not in ("of", "by"))


def _as_rule(rule: DependencyRule) -> Rule:
    """A dependency rule in the shape of a token rule, so claims are built the same way."""
    return Rule(
        name=rule.name,
        predicate=rule.predicate,
        subject_labels=rule.subject_labels,
        object_labels=rule.object_labels,
        pattern=(),
        priority=-1,  # a token rule that made the same claim is kept instead
        negated=False,
        examples=(),
        counterexamples=(),
        source="dependency_rules.yaml",
    )


def find_dependency_matches(sentence: Span, rule_matcher: RuleMatcher) -> list[Match]:
    """Trigger words whose parse children are a subject and an object of allowed labels."""
    found = []
    for token in sentence:
        for rule, trigger, dependency in rule_matcher.dependency:
            if not trigger.match(token.lower_):
                continue
            subjects = [c for c in token.children if c.dep_ in dependency.subject_deps]
            objects = [c for c in token.children if c.dep_ in dependency.object_deps]
            pairs = [
                (subject.i, object_.i)
                for subject in subjects
                for object_ in objects
                if subject._.cm_role in rule.subject_labels | {PRONOUN}
                and object_._.cm_role in rule.object_labels
            ]
            for subject_index, object_index in pairs:
                span = (min(subject_index, object_index), max(subject_index, object_index) + 1)
                found.append(Match(rule, token.i, subject_index, object_index, *span))
    return found


def _skips_within_bounds(rule: Rule, alignment: Sequence[int]) -> bool:
    """True when no skip element of the rule consumed more tokens than it allows."""
    used = Counter(alignment)
    return all(
        used[index] <= element.skip
        for index, element in enumerate(rule.pattern)
        if element.kind == "skip"
    )


def _nearest_per_trigger(matches: list[Match]) -> list[Match]:
    """For each rule, trigger and subject keep the shortest match (the nearest object)."""
    best: dict[tuple[str, int, int], Match] = {}
    for match in sorted(matches, key=lambda m: (m.end - m.start, m.start)):
        best.setdefault((match.rule.name, match.trigger, match.subject), match)
    return sorted(best.values(), key=lambda m: (m.start, m.rule.name))


# ---------------------------------------------------------------------------------------------
# Coordination, pronouns, negation, hedging


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


def sentence_topics(doc: Doc) -> dict[int, int]:
    """Antecedent of a sentence-initial pronoun: the previous sentence's leading argument.

    Maps the index of each pronoun token to the entity token it stands for, following chains
    ("IL-2 is ... It is ... It augments ...").
    """
    antecedents: dict[int, int] = {}
    topic: int | None = None
    for sentence in doc.sents:
        words = [t for t in sentence if not t.is_space and not t.is_punct][:3]
        lead = next((t for t in words if t._.cm_role), None)
        for token in sentence:
            if token._.cm_role == PRONOUN and topic is not None:
                antecedents[token.i] = topic
        if lead is not None:
            topic = antecedents.get(lead.i, lead.i) if lead._.cm_role == PRONOUN else lead.i
            if lead._.cm_role == PRONOUN and lead.i not in antecedents:
                topic = None
    return antecedents


def is_negated(
    doc: Doc, sentence: Span, trigger: int, cues: Cues, any_trigger: re.Pattern[str] | None = None
) -> bool:
    """Whether a negation cue scopes the trigger.

    A cue within the window before the trigger, with no scope breaker between, or 'no' right
    after it ("released no detectable TNF-alpha"). A cue scopes the first trigger after it: in
    "1,25D3 was ineffective for reducing IFN-gamma production by splenocytes" it denies the
    reduction, not the production. A trigger joined to the next by "or"/"and" ("did not
    induce or enhance") shares its cue, and so does a nominal trigger that is the verb's object
    ("failed to affect activation of c-Jun").
    """
    after = trigger + 1
    if after < sentence.end and doc[after].lower_ in ("no", "neither"):
        return True
    first = max(sentence.start, trigger - cues.negation_window)
    scoped = trigger
    for position in range(trigger - 1, first - 1, -1):
        token = doc[position]
        if token.lower_ in cues.scope_breakers or token.text in cues.scope_breakers:
            return False
        if token.lower_ in cues.negation and not _starts_pseudo(doc, position, cues):
            if _denies_an_argument(doc, position):
                continue  # "CD28 (but not CD2) leads to": the cue denies CD2, not the claim
            return True
        if any_trigger is not None and any_trigger.match(token.lower_) and not token._.cm_role:
            between = doc[position + 1 : scoped]
            if not {t.lower_ for t in between} <= {"or", "and", "nor", ","} and not (
                doc[scoped].lower_.endswith(NOMINAL_ENDINGS)
                and not any(t._.cm_role for t in between)
            ):
                return False  # the cue, if any, belongs to this earlier trigger
            scoped = position  # joined triggers, or "failed to affect activation of c-Jun"
    return False


def _starts_pseudo(doc: Doc, position: int, cues: Cues) -> bool:
    for phrase in cues.pseudo_negation:
        words = [t.lower_ for t in doc[position : position + len(phrase)]]
        if tuple(words) == phrase:
            return True
    return False


def _denies_an_argument(doc: Doc, position: int) -> bool:
    """'but not' right before a mention."""
    return (
        doc[position].lower_ == "not"
        and position > 0
        and doc[position - 1].lower_ == "but"
        and position + 1 < len(doc)
        and bool(doc[position + 1]._.cm_role)
    )


def argument_negated(doc: Doc, index: int, sentence: Span) -> bool:
    """'but not X' or 'neither X': the argument itself is denied."""
    previous = doc[index - 1] if index - 1 >= sentence.start else None
    return previous is not None and previous.lower_ in ARGUMENT_NEGATORS


def is_hedged(doc: Doc, sentence: Span, trigger: int, cues: Cues) -> bool:
    """A hedge cue anywhere in the sentence before the trigger, or the trigger itself."""
    return any(doc[i].lower_ in cues.hedging for i in range(sentence.start, trigger + 1))


# ---------------------------------------------------------------------------------------------
# Context


def genotype_mentions(doc: Doc, cues: Cues) -> list[tuple[int, str]]:
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
            before = tuple(t.lower_ for t in doc[max(0, ent.start - len(phrase)) : ent.start])
            if before == phrase:
                found.append((ent.start, f"{ent.text} KO"))
    words = [token.lower_ for token in doc]
    found += [(i, "wild type") for i, _ in phrase_positions(words, cues.wild_type)]
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


def organism_mentions(doc: Doc, cues: Cues) -> list[tuple[int, str]]:
    """(token index, organism) from species entities and words such as 'murine'."""
    found = []
    for token in doc:
        if token.ent_type_ == Label.SPECIES:  # a merged entity: one token, its concept on it
            organism = cues.organisms.get(token.ent_kb_id_)
            if organism:
                found.append((token.i, organism))
            continue
        for word in token.lower_.split():
            if word in cues.organism_words:
                found.append((token.i, cues.organism_words[word]))
                break
    return found


def setting_mentions(doc: Doc, cues: Cues) -> list[tuple[int, str]]:
    """(token index, setting) for 'in vitro', 'in vivo', 'ex vivo'."""
    words = [token.lower_ for token in doc]
    return [(i, cues.settings[phrase]) for i, phrase in phrase_positions(words, cues.settings)]


def cell_source_mentions(doc: Doc, cues: Cues) -> list[tuple[int, str]]:
    """(token index, source) for 'cells from IL-2 KO mice', 'isolated from patients'."""
    found = []
    words = [token.lower_ for token in doc]
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


def stimulus_mentions(doc: Doc, cues: Cues) -> list[tuple[int, str, bool]]:
    """(token index, stimulus, context only) for 'Con A-stimulated cells', 'stimulated with LPS'.

    The entity is context only, never a claim argument, when it follows "with" or when its
    hyphenated participle stands right before a cell ('LPS-stimulated macrophages'); in
    'IL-4-induced differentiation of Th2 cells' IL-4 is still the claim's subject.
    """
    found = []
    for token in doc:
        if token.lower_ not in cues.stimulus_participles:
            continue
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
    def of(cls, doc: Doc, cues: Cues) -> DocumentContext:
        """Collect the document's context mentions."""
        organisms = organism_mentions(doc, cues)
        counts = Counter(organism for _, organism in organisms)
        main = min(counts, key=lambda o: (-counts[o], o)) if counts else None
        genotypes = genotype_mentions(doc, cues)
        stimuli = stimulus_mentions(doc, cues)
        context_only = {index for index, _ in genotypes}
        context_only |= {index for index, _, only in stimuli if only}
        return cls(
            genotypes,
            organisms,
            setting_mentions(doc, cues),
            cell_source_mentions(doc, cues),
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


# ---------------------------------------------------------------------------------------------
# Putting it together


@dataclass(frozen=True, slots=True)
class _Found:
    """A claim before ids are assigned, with token indices of its arguments."""

    rule: Rule
    subject: int
    object: int
    trigger: int
    negated: bool
    hedged: bool
    sentence: Span

    @property
    def stretch(self) -> range:
        """Token positions from the first to the last of its arguments and trigger."""
        positions = (self.subject, self.object, self.trigger)
        return range(min(positions), max(positions) + 1)


def _expand(
    doc: Doc,
    match: Match,
    sentence: Span,
    cues: Cues,
    antecedents: dict[int, int],
    any_trigger: re.Pattern[str],
) -> Iterator[_Found]:
    """The claims of one match: resolve pronouns, add coordinated arguments, set flags."""
    rule = match.rule
    base_negated = rule.negated or is_negated(doc, sentence, match.trigger, cues, any_trigger)
    hedged = is_hedged(doc, sentence, match.trigger, cues)
    sides = []
    for index, labels in ((match.subject, rule.subject_labels), (match.object, rule.object_labels)):
        step = 1 if index > match.trigger else -1
        negated_here = argument_negated(doc, index, sentence)
        governed = any_trigger if index < match.trigger else None
        chain = list(coordinated(doc, index, step, labels, governed, any_trigger))
        if step > 0 or not chain or not chain[-1][1]:
            options = [(index, negated_here)]
            options += [(i, negated_here != flip) for i, flip in chain]
        else:
            # Walking left across "but not": what lies after it in the text (the arguments
            # seen first, nearest the trigger) is denied, what lies before it is not.
            options = [(index, True)] + [(i, not flip) for i, flip in chain]
        sides.append(options)
    # "IL-4-induced STAT6", "CD28-dependent induction of c-jun": the participle or the noun it
    # qualifies is the trigger, so the modifier is the agent; of any other trigger it is not.
    sides[0] = [
        (i, flag)
        for i, flag in sides[0]
        if (participle := _modifier_participle(doc, i, cues)) is None
        or match.trigger in (participle, participle + 1)
    ]
    sides[1] = [
        (_differentiation_product(doc, head), flag)
        for i, flag in sides[1]
        if (head := _modified_noun(doc, i, cues, rule.object_labels)) is not None
    ]
    sides = [
        [(i, flag) for i, flag in side if not _heads_away(doc, i, cues, is_object)]
        for is_object, side in zip((False, True), sides, strict=True)
    ]
    if _is_stimulus_modifier(doc, match):
        return  # "Con A-stimulated splenocytes": a stimulus of the cells, stated as context
    if any(_names_a_dna_region(doc, subject, cues) for subject, _ in sides[0]):
        return  # "the IL-2 or IL-4 genes": promoters and genes regulate nothing here
    for (subject, subject_negated), (object_, object_negated) in _pairings(
        doc, sentence, sides[0], sides[1]
    ):
        resolved = [antecedents.get(i, i) for i in (subject, object_)]
        if any(doc[i]._.cm_role in ("", PRONOUN) for i in resolved):
            continue
        if doc[resolved[0]].ent_type_ not in rule.subject_labels:
            continue
        if doc[resolved[1]].ent_type_ not in rule.object_labels or resolved[0] == resolved[1]:
            continue
        # "neither X nor Y" negates through the cue and the argument alike: no double negation
        negated = base_negated or subject_negated or object_negated
        yield _Found(rule, resolved[0], resolved[1], match.trigger, negated, hedged, sentence)


Side = list[tuple[int, bool]]


def _pairings(
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


def _modifier_participle(doc: Doc, index: int, cues: Cues) -> int | None:
    """The participle that makes this mention a modifier, if any.

    'IL-1beta-induced', 'CD3/CD28-induced', 'IL-2-, IL-3- and GM-CSF-induced', and any
    hyphenated participle ('MEK1-interfering mutants'); but in 'activation of STAT6 and
    STAT6-dependent expression' the first STAT6 is no modifier.
    """
    position = index + 1
    while position + 1 < len(doc):
        token, after = doc[position], doc[position + 1]
        if token.text == "-" and (
            after.lower_ in cues.modifier_participles
            or (after.is_lower and after.is_alpha and after.lower_.endswith(("ing", "ed")))
        ):
            return position + 1
        if token.text == "/" and after._.cm_role:
            position += 2  # "CD3/CD28-induced"
        elif token.text == "-" and after.lower_ in (",", "and", "or"):
            position += 1  # a hanging hyphen: "IL-2-, IL-3- and GM-CSF-induced"
            while position < len(doc) and doc[position].lower_ in (",", "and", "or"):
                position += 1
            if position >= len(doc) or not doc[position]._.cm_role:
                return None
            position += 1
        else:
            return None
    return None


def _differentiation_product(doc: Doc, index: int) -> int:
    """'the differentiation of naive T cells into Th17 cells': the claim is about Th17 cells."""
    after = index + 2
    if (
        after < len(doc)
        and doc[index].ent_type_ == Label.CELL_TYPE
        and doc[index + 1].lower_ == "into"
        and doc[after].ent_type_ == Label.CELL_TYPE
        and doc[after]._.cm_role
    ):
        return after
    return index


def _modified_noun(doc: Doc, index: int, cues: Cues, labels: frozenset[str]) -> int | None:
    """The argument a claim is about.

    The mention itself, or, for 'inhibited IL-1beta-induced IL-6', the mention the participle
    qualifies (None when it qualifies no mention).
    """
    participle = _modifier_participle(doc, index, cues)
    if participle is None:
        return index
    for position in range(participle + 1, min(participle + 5, len(doc))):
        if doc[position]._.cm_role in labels:
            return position
        if doc[position].is_punct:
            break
    return None


def _heads_away(doc: Doc, index: int, cues: Cues, is_object: bool) -> bool:
    """Whether the phrase is about the mention's absence or an answer to it, not about it.

    'IL-2 deprivation', 'IL-2-dependence', and for an object 'controls responsiveness to
    IFN-gamma' or 'the STAT5 element' (where STAT5 binds). A subject after 'response to'
    stays: 'increased in response to TNF'.
    """
    after = index + 1
    if after + 1 < len(doc) and doc[after].text == "-":
        after += 1
    if after < len(doc) and doc[after].lower_ in cues.indirect_heads:
        return True
    if is_object and index + 1 < len(doc) and doc[index + 1].lower_ in cues.site_words:
        return True  # "activation of the promoter containing the STAT5 element"
    return (
        is_object
        and index > 1
        and doc[index - 1].lower_ == "to"
        and doc[index - 2].lower_ in cues.indirect_heads
    )


def _names_a_dna_region(doc: Doc, index: int, cues: Cues) -> bool:
    """'IL-2 promoter', 'GATA-3 site': the mention qualifies a stretch of DNA, not a protein."""
    return index + 1 < len(doc) and doc[index + 1].lower_ in cues.dna_words


def _is_stimulus_modifier(doc: Doc, match: Match) -> bool:
    """'LPS-stimulated macrophages': a hyphenated participle right before a cell mention."""
    object_token = doc[match.object]
    return (
        match.trigger > 0
        and doc[match.trigger - 1].text == "-"
        and match.object == match.trigger + 1
        and object_token.ent_type_ in (Label.CELL_TYPE, Label.CELL_LINE)
    )


def extract_claims(
    doc: Doc,
    rule_matcher: RuleMatcher,
    cues: Cues,
    confidence: dict[str, float] | None = None,
) -> list[Claim]:
    """All claims of a Doc whose entities are merged tokens, in text order.

    Within a sentence, one claim is kept per (subject concept, predicate, object concept,
    negated): the one from the highest-priority rule, then the first rule in file order.
    """
    context = DocumentContext.of(doc, cues)
    entity_of_token = mark_roles(doc, context.context_only, cues)
    antecedents = sentence_topics(doc)
    order = rule_matcher.order
    found: list[_Found] = []
    parsed = doc.has_annotation("DEP")
    for sentence in doc.sents:
        if not _may_hold_a_claim(sentence, rule_matcher.any_trigger):
            continue
        matches = find_matches(doc, sentence, rule_matcher)
        if parsed:
            matches += find_dependency_matches(sentence, rule_matcher)
        for match in matches:
            found.extend(_expand(doc, match, sentence, cues, antecedents, rule_matcher.any_trigger))
    found.sort(
        key=lambda f: (f.sentence.start, -f.rule.priority, order.get(f.rule.name, len(order)),
                       f.trigger)
    )  # fmt: skip
    kept: dict[tuple[int, str, str, str, bool], _Found] = {}
    pairs_seen: set[tuple[int, int, int]] = set()
    for item in found:
        pair = (item.sentence.start, item.subject, item.object)
        key = (item.sentence.start, _concept(doc, item.subject), item.rule.predicate,
               _concept(doc, item.object), item.negated)  # fmt: skip
        if key in kept or pair in pairs_seen or key[1] == key[3]:
            continue  # a second mention of the subject is not something it acts on
        kept[key] = item
        pairs_seen.add(pair)
    ordered = sorted(
        kept.values(), key=lambda f: (f.sentence.start, f.trigger, f.subject, f.object)
    )
    claims = []
    for number, item in enumerate(ordered, start=1):
        others = [o.stretch for o in ordered if o.sentence.start == item.sentence.start
                  and o.stretch != item.stretch]  # fmt: skip
        claim_context = context.for_claim(
            item.sentence, item.stretch, others, {item.subject, item.object}
        )
        claim = _to_claim(doc, number, item, claim_context, entity_of_token)
        if confidence and item.rule.name in confidence:
            claim = replace(claim, confidence=confidence[item.rule.name])
        claims.append(claim)
    return claims


def _may_hold_a_claim(sentence: Span, any_trigger: re.Pattern[str]) -> bool:
    """Whether the sentence has the two arguments and the trigger every rule needs.

    Most sentences of an abstract do not, and skipping them saves the matcher most of its work.
    """
    arguments = sum(1 for token in sentence if token._.cm_role)
    return arguments >= 2 and any(any_trigger.match(token.lower_) for token in sentence)


def _concept(doc: Doc, index: int) -> str:
    token: Token = doc[index]
    return token.ent_kb_id_ or "text:" + token.lower_


def _to_claim(
    doc: Doc, number: int, item: _Found, context: Context, entity_of_token: dict[int, int]
) -> Claim:
    trigger = doc[item.trigger]
    return Claim(
        id=f"C{number}",
        subject=f"E{entity_of_token[item.subject] + 1}",
        predicate=item.rule.predicate,
        object=f"E{entity_of_token[item.object] + 1}",
        negated=item.negated,
        hedged=item.hedged,
        context=context,
        sentence_start=item.sentence.start_char,
        sentence_end=item.sentence.end_char,
        trigger_start=trigger.idx,
        trigger_end=trigger.idx + len(trigger.text),
        rule=item.rule.name,
    )
