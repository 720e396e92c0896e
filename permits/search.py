"""Finding a permit type from what people type: "izin praktek bidan", "IMB", "bangun rumah".

The catalogue is small (81 types, a few hundred names and search terms), so the search runs
in Python over an index kept in the process until the catalogue changes (the version
``permits.selectors.catalogue.catalogue_types`` already keeps): no query when warm, the same ranking
on SQLite and PostgreSQL, and typo tolerance without a database extension.

The rules, in order:

- Text is normalised: lower case, no accents or punctuation, common spelling variants
  folded (praktek → praktik, ijin → izin, apotik → apotek). Words that say nothing about
  the permit ("izin", "surat", "buka", "permit") are ignored unless they are all there is.
- A query word matches the START of a word (``imb`` does not match "Limbah" or "Timbang").
- Every word must match the type somewhere: its names (Indonesian and English), its code,
  its search terms (old names and everyday words, ``PermitType.search_terms``, edited in
  the admin and loaded from catalogue.json) or its OPD; a word that matches no word start
  may still match with a typo (trigram similarity, or one or two letters off).
- Ranking: the whole query being a code or a search term, then names, then search terms,
  then the OPD; a typo counts less than a correct word, and a name that the query covers
  more of ranks higher ("dokter" finds the doctor before the specialist).
- When nothing matches every word, the three closest types are offered instead.
- A query naming a permit that is gone or issued elsewhere (SIUP, HO) also gets the
  note that says so (``SearchNote``, edited in the admin, loaded from catalogue.json).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from permits.models import PermitType, SearchNote

# Spelling variants people type, folded to the catalogue's spelling.
VARIANTS = {
    "praktek": "praktik",
    "ijin": "izin",
    "apotik": "apotek",
    "sertipikat": "sertifikat",
    "tehnik": "teknik",
    "tehnis": "teknis",
    "analisa": "analisis",
    "resto": "restoran",
    "license": "licence",
    "licenses": "licence",
    "licences": "licence",
    "organization": "organisation",
    "center": "centre",
}

# Words that do not tell one permit type from another.
_STOPWORDS = """
    izin surat permohonan mengurus urus cara buat bikin membuat mengajukan ajukan pengajuan
    untuk dan atau di ke dari yang saya mau ingin bagaimana buka membuka pasang memasang
    the a an of for to and or in on my how get apply permit permits licence
"""
STOPWORDS = frozenset(_STOPWORDS.split())

# Weights of one query word by where it matched, and of the whole query.
NAME_EXACT, NAME_START = 10.0, 8.0
TERM_EXACT, TERM_START = 6.0, 5.0
OPD_START = 2.0
NAME_TYPO, TERM_TYPO = 6.0, 4.0
WHOLE_CODE, WHOLE_TERM = 200.0, 100.0
NAME_PHRASE, TERM_PHRASE = 15.0, 8.0
COVERAGE = 5.0
TYPO_SIMILARITY = 0.45  # trigram similarity (as pg_trgm's) from which a word is a typo
CLOSEST = 3


def normalise(text: str) -> str:
    """Lower case, ASCII letters and digits only, variants folded, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(VARIANTS.get(word, word) for word in words)


def significant(words: list[str]) -> list[str]:
    kept = [word for word in words if word not in STOPWORDS]
    return kept or words


@lru_cache(maxsize=4096)
def trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> float:
    """Trigram similarity, as PostgreSQL's pg_trgm computes it for single words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)


def within_edits(a: str, b: str, limit: int) -> bool:
    """True when ``a`` becomes ``b`` in at most ``limit`` insertions, deletions or
    substitutions (short words: "perkir" → "parkir", which trigrams miss)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def typo_score(word: str, candidate: str) -> float:
    """How well ``word`` matches ``candidate`` as a typo (0 when it does not). Short
    words are abbreviations more often than typos: SIUP is not a misspelt SIPP."""
    if len(word) < 4 or len(candidate) < 4 or word[0] != candidate[0]:
        return 0.0
    score = similarity(word, candidate)
    if score >= TYPO_SIMILARITY:
        return score
    if len(word) >= 5 and within_edits(word, candidate, 1 if len(word) < 9 else 2):
        return max(score, 0.6)
    return 0.0


@dataclass
class Entry:
    """What the search knows of one permit type."""

    pk: int
    code: str
    key: str  # the normalised code
    names: list[str]  # normalised names (Indonesian, English)
    terms: list[str]  # normalised search terms
    name_words: frozenset[str]
    term_words: frozenset[str]
    opd_words: frozenset[str]
    name_significant: list[frozenset[str]] = field(default_factory=list)


def _words(texts) -> frozenset[str]:
    return frozenset(word for text in texts for word in text.split())


def entry_for(permit_type: PermitType) -> Entry:
    names = [normalise(n) for n in (permit_type.name_id, permit_type.name_en) if n]
    terms = [normalise(t) for t in permit_type.search_term_list]
    opd = permit_type.opd
    return Entry(
        pk=permit_type.pk,
        code=permit_type.code,
        key=normalise(permit_type.code),
        names=names,
        terms=[t for t in terms if t],
        name_words=_words(names),
        term_words=_words([*terms, normalise(permit_type.code)]),
        opd_words=_words([normalise(opd.name_id), normalise(opd.name_en), normalise(opd.code)]),
        name_significant=[frozenset(significant(n.split())) for n in names],
    )


def _word_score(word: str, entry: Entry) -> float:
    """The best way one query word matches the type; 0 when it does not."""
    if word in entry.name_words:
        return NAME_EXACT
    if len(word) > 1 and any(w.startswith(word) for w in entry.name_words):
        return NAME_START
    if word in entry.term_words:
        return TERM_EXACT
    if len(word) > 1 and any(w.startswith(word) for w in entry.term_words):
        return TERM_START
    if any(w.startswith(word) for w in entry.opd_words):
        return OPD_START
    name_typo = max((typo_score(word, w) for w in entry.name_words), default=0.0)
    term_typo = max((typo_score(word, w) for w in entry.term_words), default=0.0)
    return max(NAME_TYPO * name_typo, TERM_TYPO * term_typo)


def _contains_phrase(text: str, phrase: str) -> bool:
    return f" {text}".find(f" {phrase}") >= 0


def entry_score(entry: Entry, whole: str, words: list[str]) -> tuple[float, int]:
    """(score, how many query words matched) of one type."""
    scores = [_word_score(word, entry) for word in words]
    total = sum(scores)
    if whole == entry.key:
        total += WHOLE_CODE
    if whole in entry.terms:
        total += WHOLE_TERM
    phrase = " ".join(words)
    if any(_contains_phrase(name, phrase) for name in entry.names):
        total += NAME_PHRASE
    elif any(_contains_phrase(term, phrase) for term in entry.terms):
        total += TERM_PHRASE
    covered = [
        len({w for w in name if any(w.startswith(q) for q in words)}) / len(name)
        for name in entry.name_significant
        if name
    ]
    total += COVERAGE * max(covered, default=0.0)
    return total, sum(1 for s in scores if s > 0)


@dataclass
class Ranking:
    """The codes of the types that match every word, best first; when none does, the
    closest types (``closest``) to offer instead."""

    codes: list[str]
    closest: list[str]
    pks: list[int] = field(default_factory=list)
    closest_pks: list[int] = field(default_factory=list)
    notes: list[SearchNote] = field(default_factory=list)


def notes_for(notes, whole: str) -> list[SearchNote]:
    """The notes one of whose terms is the whole query or one of its words."""
    words = set(whole.split())
    return [note for terms, note in notes if whole in terms or words & terms]


def rank_entries(entries: list[Entry], query: str, notes=()) -> Ranking:
    ranking = _rank(entries, query)
    ranking.notes = notes_for(notes, normalise(query))
    return ranking


def _rank(entries: list[Entry], query: str) -> Ranking:
    whole = normalise(query)
    words = significant(whole.split())[:8]
    if not words:
        return Ranking([], [])
    scored = []
    for entry in entries:
        score, matched = entry_score(entry, whole, words)
        scored.append((matched, score, entry))
    key = lambda item: (-item[1], min(len(n) for n in item[2].names), item[2].code)  # noqa: E731
    full = sorted((s for s in scored if s[0] == len(words)), key=key)
    if full:
        return Ranking([e.code for _m, _s, e in full], [], pks=[e.pk for _m, _s, e in full])
    partial = sorted((s for s in scored if s[0]), key=lambda s: (-s[0], *key(s)))
    if len(partial) < CLOSEST:  # nothing near: the names most alike the whole query
        rest = [s for s in scored if not s[0]]
        rest.sort(key=lambda s: (-max(similarity(whole, n) for n in s[2].names), s[2].code))
        partial += rest
    closest = [e for _m, _s, e in partial[:CLOSEST]]
    return Ranking([], [e.code for e in closest], closest_pks=[e.pk for e in closest])


_entries_memo: dict[str, object] = {}


def search_entries() -> list[Entry]:
    """The index of the active types, built from ``catalogue_types`` (no query when warm)
    and rebuilt when the catalogue's version changes."""
    from permits.selectors.catalogue import catalogue_types, catalogue_version

    version = catalogue_version()
    if _entries_memo.get("version") != version:
        types = catalogue_types().values()
        _entries_memo["entries"] = [entry_for(t) for t in types if t.active and t.opd.active]
        _entries_memo["notes"] = [
            (frozenset(normalise(term) for term in note.term_list), note)
            for note in SearchNote.objects.filter(active=True)
        ]
        _entries_memo["version"] = version
    return _entries_memo["entries"]  # type: ignore[return-value]


def catalogue_rank(*, query: str) -> Ranking:
    """The active permit types matching ``query``, best first (see the module's rules),
    and the notes about permits that are gone or issued elsewhere."""
    entries = search_entries()
    return rank_entries(entries, query, notes=_entries_memo["notes"])
