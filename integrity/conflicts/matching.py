"""Matching an applicant against an officer's register of affiliations.

Pure Python (standard library only), no Django: ``party_match(applicant, affiliated)``
says whether two parties are, in all likelihood, the same person or business, and why.

Identifiers first
-----------------
NIK (16 digits), NIB (13 digits) and NPWP (15 or 16 digits) are compared on their digits
only, so ``01.234.567.8-901.000`` equals ``012345678901000``. An identifier is used only
when it is well formed on *both* sides: the right number of digits and not a placeholder
made of one repeated digit (``00.000.000.0-000.000`` is what forms carry for "no NPWP").
A 15-digit NPWP is the old form of the 16-digit one with a leading ``0``; since 2024 the
NPWP of a resident is the NIK, so a 16-digit NPWP not starting with ``0`` is also compared
with the other party's NIK (reported as ``npwp``). An identifier match wins over anything
else and scores 1.0. Differing identifiers do not veto a name-and-address match (a typo in
a register must not hide a conflict); the detail then says "NIK differs" for the auditor.

Name and address
----------------
Otherwise a match needs **both** ``name_similarity >= NAME_THRESHOLD`` **and**
``address_similarity >= ADDRESS_THRESHOLD``: the same name at another address is another
person (Indonesia has many a "Siti Aminah"), and another name at the same address is a
neighbour, a shop in the same building or another member of the family. **A party whose
address is missing on either side never matches on its name alone**: we do not flag on a
name alone, only on an identifier. The score of such a match is the mean of the two
similarities, and the detail reads ``"name 0.93, address 0.81"``.

Names (``normalise_name``): lower case, accents and apostrophes dropped; academic,
religious and courtesy titles stripped (``Dr.``, ``dr.``, ``drg.``, ``H.``, ``Hj.``,
``Ir.``, ``Prof.``, ``Bpk.``, ``S.H.``, ``S.Kom.``, ``M.Kes.``, ``Sp.A`` …; ``H.`` and the
other leading ones only in front of the name, degrees anywhere, and whatever looks like a
degree after the first comma); legal forms (``PT``, ``CV``, ``UD``, ``Koperasi``, ``Tbk``,
``Persero`` …) and kinds of shop (``Toko``, ``Apotek``, ``Klinik``, ``Rumah Makan`` …)
stripped; old spelling modernised (``oe``→``u``, ``dj``→``j``, ``tj``→``c``, and then
``j``→``y``: Soekarno = Sukarno, Djojo = Joyo); ``ch``/``kh``→``h``, ``dh``→``d``,
``th``→``t``, ``q``→``k``, ``ae``→``ai``, ``y`` between a consonant and a vowel → ``i``
(Setyawan = Setiawan, Prasetyo = Prasetio), doubled letters single, final ``y`` after a
consonant → ``i`` (Rizky = Rizki), final ``d``→``t`` (Ahmad = Ahmat) and ``f``→``p``
(Yusuf = Yusup, Arif = Arip); then a small map of given names (Muhammad = Muhamad =
Mohammad = Moh. = Muh. = Mhd.; Nur = Noor; Siti = Sitti; Achmad = Ahmad; Abd. = Abdul …).
A leading ``I``/``Ni`` before a Balinese birth-order name and ``bin``/``binti`` go too.
The result is a matching key, not a display form ("hasanudin"). Dewi and Dwi stay apart.

``name_similarity`` is a weighted Dice coefficient over the two sets of name words, so
word order does not matter. Words pair up greedily, best pair first: equal words score 1;
an initial against a word starting with that letter 0.85 (``M. Rizki`` ~ ``Muhammad
Rizki``); two words of 6+ letters with the same first letter and one slip apart, as keys
or as written: two adjacent letters swapped 0.85, a letter left out or added 0.6, one
letter for another 0.4 (as often another name: Wahyudi / Wahyuni), a final vowel for
another 0 (how Javanese names change sex: Susanto / Susanti). Two adjacent words on one
side that spell a word of the other are merged first (``Nur Hayati`` = ``Nurhayati``).
Very common given names and business fillers (Muhammad, Siti, Nur, Sri, Dewi, Made, Jaya,
Abadi, Makmur …) and initials weigh 0.5, other words 1. A missing word costs:
``Siti Aminah`` vs ``Siti Aminah Harahap`` is 0.75 (a match), ``Budi`` vs ``Budi
Santoso`` 0.67 and ``Santoso`` vs ``Agus Santoso`` 0.67 (no match: father and son).

Addresses (``normalise_address``): abbreviations expanded (``Jl.``/``Jln.`` → ``jalan``,
``Gg.`` → ``gang``, ``No.``/``Nomor`` → ``no``, ``Kel.``, ``Kec.``, ``Kab.``, ``Ds.``,
``Dsn.``, ``Kp.``, ``Perum``, ``Komp.``, ``Blk.``, ``Prov.`` …), RT/RW unified to ``rt 1
rw 2`` (from ``RT 01/RW 02``, ``RT.001 RW.002``, ``RT/RW 001/002``, ``RT 1/2``, ``RT 1 RW
2`` …), punctuation dropped, the spelling rules above applied to the words (so the output
is a key too: ``batunungal``). ``address_similarity`` reads the house number (after
``No.``, else the last bare number: ``Jln Melati 5``), blok, RT, RW, postcode and ``Km``,
and compares the remaining words: street words (after ``Jl.``, ``Gg.``, ``Perum``,
``Kp.``, ``Dsn.``) weigh 2, words like barat/timur/jawa 0.5, titles and ranks in street
names (``Jl. Dr. Setiabudi``, ``Jl. Jend. Sudirman``) nothing; the score is the mean of a
weighted Dice coefficient and of the share of the shorter address found in the longer,
so an address written without its kelurahan, kecamatan or town still matches; adjacent
words are merged as for names (Buah Batu = Buahbatu). It is then multiplied by
penalties: a different house number ×0.4 (``Jl. Melati No. 5`` is not ``Jl. Melati No.
15``; 5 vs 5A ×0.6; a number on one side only ×0.9), a different blok ×0.4, a different
RT ×0.5, a different RW ×0.6, a different postcode ×0.7, a different ``Km`` ×0.5, and two
named streets with no word in common ×0.5. Each of the strong penalties alone takes any
address below the threshold. An address with no words left (empty, ``-``, ``tidak ada``,
only numbers) is missing.

The place a file is about
-------------------------
``site_match(site, affiliated)`` compares the address of the place a file asks a permit for
(a shop, a plot, a practice: the first address field of its type's form) with an affiliated
party's address, with no name: an officer's relative living or working there is a conflict
whoever applies. Both addresses must name one dwelling (a house number, or an RT and RW):
a road or a desa alone is a neighbourhood. The same ``ADDRESS_THRESHOLD`` then applies.

Thresholds and how they were chosen
-----------------------------------
``NAME_THRESHOLD = 0.75`` and ``ADDRESS_THRESHOLD = 0.7``, tuned on the synthetic
evaluation in ``tests/integrity/test_matching.py``: 40 officers with ~300 affiliated
relatives and businesses (in Kota and Kabupaten Bandung), 1,500 applicants of whom 150
are true related parties written differently (titles, spelling variants, old spelling,
initials, a dropped third name, swapped words, typos, legal forms, upper case, another
way of writing the same address, identifiers with and without punctuation, 5 who moved
and share only an identifier) and the rest unrelated, with hard near-misses (the same
common name elsewhere, in the same kelurahan, on the same street; neighbours; another
member of the family at the same address; another business at the same address; a
business with a similar name in another town), 450,000 pairs.

Measured with the test's seed: **precision 0.993, recall 0.993** (tp=149, fp=1, fn=1).
Over 11 seeds (1,650 related parties): precision 0.984, recall 0.991; single seeds
range from 0.967 to 1.000 in both. Grid over those seeds: a name threshold from 0.78 to
0.90 loses recall (0.979 to 0.968: a dropped third name, a typo) for a precision gain of
at most 0.004; at 0.70 nothing is gained and family members written with an initial start
to match. Address thresholds from 0.6 to 0.8 give the same results (the penalties do the
work); 0.7 is the lowest at which each strong penalty alone (house number 0.4, RT 0.5,
RW 0.6) is a veto, and 0.85 loses 3 points of recall. The remaining false positives are
real ambiguities: a register entry without a house number and a namesake on the same
street, or a register name reduced to an initial (``D. Wijaya``) and another member of
the family at that address. These figures come from a generator written with the
matcher; expect lower on real registers. Timing: 200,000 calls of ``party_match`` over
800 × 250 distinct parties take about 1 s with cold caches (CPython 3.11).

Known limitations: an address written without its town matches the same street and
number in any town, and one without a house number matches every number on that street
(×0.9 only); a leading ``H.`` is always read as Haji, never as an initial (``H. Fauzan``
is ``fauzan``); a name registered with fewer words than used (``Budi`` for ``Budi
Santoso``, ``Sri Ayu`` for ``Sri Ayu Suryana``), with two slips, or with an initial plus
a slip, scores below the threshold; relatives whose names differ only where one is an
initial (``A. Rahman`` / ``Arif Rahman`` / ``Abdul Rahman``) at one address are not told
apart; a number inside a street's name is read as the house number when no ``No.``
follows (``Jl. Pelajar Pejuang 45``); identifiers are checked for length only, not for a
plausible NIK date or region.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "ADDRESS_THRESHOLD",
    "NAME_THRESHOLD",
    "Match",
    "Party",
    "address_similarity",
    "name_similarity",
    "normalise_address",
    "normalise_name",
    "party_match",
]

NAME_THRESHOLD: float = 0.75
ADDRESS_THRESHOLD: float = 0.7


@dataclass(frozen=True)
class Party:
    name: str
    nik: str = ""
    nib: str = ""
    npwp: str = ""
    address: str = ""


@dataclass(frozen=True)
class Match:
    reason: str  # "nik" | "nib" | "npwp" | "name_address"
    score: float  # 1.0 for identifiers; the combined similarity otherwise
    detail: str  # a short English explanation for logs and auditors


# --- identifiers --------------------------------------------------------------------------

_NON_DIGIT = re.compile(r"[^0-9]")


def _digits(value: str, lengths: tuple[int, ...]) -> str:
    """The digits of ``value`` if they are a well-formed identifier, else ``""``."""
    if not value:
        return ""
    digits = _NON_DIGIT.sub("", value)
    if len(digits) not in lengths or len(set(digits)) == 1:
        return ""
    return digits


def _npwp16(value: str) -> str:
    digits = _digits(value, (15, 16))
    return "0" + digits if len(digits) == 15 else digits


# --- text basics --------------------------------------------------------------------------


def _ascii_lower(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return text.encode("ascii", "ignore").decode("ascii").lower()


_DOUBLED = re.compile(r"(.)\1+")
_FINAL_Y = re.compile(r"(?<=[^aeiouy])y$")
_Y_BEFORE_VOWEL = re.compile(r"(?<=[bcdfghjklmpqrtvwxz])y(?=[aeiou])")  # not ny, sy


@lru_cache(maxsize=1 << 15)
def _phon(token: str) -> str:
    """Spelling key of one lower-case word (see the module docstring)."""
    if token.isdigit():
        return token
    t = token
    if "oe" in t or "dj" in t or "tj" in t or "sj" in t:  # pre-1972 spelling
        t = t.replace("oe", "u").replace("dj", "J").replace("tj", "C").replace("sj", "S")
        t = t.replace("j", "y").replace("J", "j").replace("C", "c").replace("S", "sy")
    t = t.replace("ch", "h").replace("kh", "h").replace("dh", "d").replace("th", "t")
    t = t.replace("q", "k").replace("ae", "ai")
    t = _Y_BEFORE_VOWEL.sub("i", t)
    t = _DOUBLED.sub(r"\1", t)
    t = _FINAL_Y.sub("i", t)
    if len(t) > 2:
        if t.endswith("d"):
            t = t[:-1] + "t"
        elif t.endswith("f"):
            t = t[:-1] + "p"
    return t


_VARIANTS = {
    "muhammad": (
        "muhammad muhamad mohammad mohamad mohammed mohamed muhammed muhamed mochammad "
        "mochamad muchammad muchamad mokhammad mukhammad mochamat muhamat moh muh mhd "
        "mhmd mohd muhd moch much md"
    ),
    "ahmad": "ahmad achmad akhmad ahmat achmat akhmat",
    "siti": "siti sitti sity",
    "nur": "nur noor nor nuur",
    "yusuf": "yusuf yusup jusuf yoesoef yusof josuf",
    "abdul": "abdul abdoel abd abdol",
    "rahman": "rahman rachman rakhman rohman rochman",
    "rahmat": "rahmat rachmat rakhmat rahmad rachmad",
    "mustofa": "mustofa mustafa musthofa mustapa",
    "fatimah": "fatimah fathimah patimah fatma",
    "aisyah": "aisyah aisah aishah aisya",
    "saiful": "saiful syaiful saeful syaeful saifful",
    "syamsul": "syamsul samsul syamsu",
    "abdullah": "abdullah abdulah abdoellah",
    "hidayat": "hidayat hidajat",
    "candra": "candra chandra",
}
_CANON = {_phon(v): canon for canon, variants in _VARIANTS.items() for v in variants.split()}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Not a name: in front of one (forms of address, religious and academic titles).
_LEADING_TITLES = _words(
    "dr dra drs drg drh ir prof h hj haji hajah hajjah kh ust ustad ustadz ustadzah apt "
    "ns bapak bpk bp ibu sdr sdri saudara saudari tn tuan ny nyonya nn nona alm almh "
    "almarhum almarhumah rr raden habib tgk"
)
# Degrees, recognised anywhere in a name (with their dots removed).
_DEGREES = _words(
    "sh se st skom ssos skm spd spdi sag shi sip sked sfarm ssi sst sthi spsi sds ssn "
    "shut spt stp sgz strkes skep sikom sei sak sthi sm smb amd amdkeb amdkep amkeb amkep "
    "akep msi mm mkes mpd mpdi mh mt mkom mag mhum msc mba meng mpsi mkn mars mak map "
    "msos me mp mtr mtp mfarm mkm phd bsc llm lc ak cpa ca spa spog sppd spb spbs spm "
    "spjp sps sprad span spkk spkj spthtkl sptht spu spot spmk spkn spn sppk skg mkg"
)
_LEGAL_FORMS = _words(
    "pt cv ud tbk persero perseroan terbatas koperasi kop ksp kud kopontren firma fa "
    "yayasan perum perumda pd bumdes bumd bumn pma pmdn"
)
_SHOP_WORDS = _words(
    "toko apotek apotik klinik warung bengkel rm kios depot salon laundry kafe cafe "
    "minimarket swalayan"
)
_BALINESE_ORDER = _words(
    "wayan made nyoman ketut putu kadek komang gede nengah gusti ngurah ayu luh"
)
_LOW_WEIGHT = _BALINESE_ORDER | _words(
    "muhammad siti nur sri ahmad abdul putri putra dewi ayu bin binti jaya abadi makmur "
    "sejahtera mandiri sentosa utama indonesia nusantara bersama sukses group grup karya "
    "mitra sumber berkah baru"
)
_CHUNK_SPLIT = re.compile(r"[\s,]+")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")


def _key(chunk: str) -> str:
    return _WORD_SPLIT.sub("", chunk)


def _canon_word(word: str) -> str:
    phon = _phon(word)
    return _CANON.get(phon, phon)


def _name_weight(token: str) -> float:
    return 0.5 if len(token) == 1 or token in _LOW_WEIGHT else 1.0


class _Name:
    """A name's words, with what the comparisons need computed once."""

    __slots__ = (
        "canon",
        "canon_set",
        "firsts",
        "joins",
        "key",
        "letters",
        "raw",
        "total",
        "weights",
    )

    def __init__(self, canon: tuple[str, ...], raw: tuple[str, ...]):
        self.canon = canon  # the matching keys of the words
        self.raw = raw  # the same words as written (lower case), for typos
        self.key = (canon, raw)
        self.weights = tuple(_name_weight(t) for t in canon)
        self.total = sum(self.weights)
        self.canon_set = frozenset(canon)
        self.firsts = tuple(c[:1] + r[:1] for c, r in zip(canon, raw, strict=True))
        self.letters = frozenset("".join(self.firsts))
        joins = set()
        for i in range(len(canon) - 1):
            joined = canon[i] + canon[i + 1]
            joins.update((joined, _canon_word(joined)))
        self.joins = frozenset(joins)


@lru_cache(maxsize=1 << 16)
def _name_parts(name: str) -> _Name:
    text = _ascii_lower(name).replace("'", "").replace("`", "")
    head, comma, tail = text.partition(",")
    chunks = _CHUNK_SPLIT.split(head.strip())
    tail_chunks = _CHUNK_SPLIT.split(tail.strip()) if comma else []
    words: list[str] = []
    everything: list[str] = []  # kept if the name is nothing but titles or legal forms
    skip_next = False
    for position, chunk in enumerate(chunks + tail_chunks):
        if not chunk:
            continue
        everything.extend(w for w in _WORD_SPLIT.split(chunk) if w)
        key = _key(chunk)
        if skip_next:  # the field after "Sp." ("Sp. A", "Sp. OG")
            skip_next = False
            if len(key) <= 3:
                continue
        if key in _DEGREES or key in _LEGAL_FORMS:
            continue
        if key in ("sp", "sp1", "sp2") and chunk.rstrip(".") in ("sp", "sp1", "sp2"):
            skip_next = True
            continue
        if not words and key in _LEADING_TITLES:
            continue
        if position >= len(chunks) and ("." in chunk.rstrip(".") or len(key) <= 2):
            continue  # after the first comma: a degree written some other way
        words.extend(w for w in _WORD_SPLIT.split(chunk) if w)
    if words and words[0] in ("i", "ni") and len(words) > 1 and words[1] in _BALINESE_ORDER:
        words = words[1:]
    kept: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        nxt = words[index + 1] if index + 1 < len(words) else ""
        if word in ("rumah", "warung") and nxt == "makan":
            index += 2
            continue
        if word not in _SHOP_WORDS and word not in _LEGAL_FORMS and word not in ("bin", "binti"):
            kept.append(word)
        index += 1
    if not kept:  # the whole name was a title or a legal form: keep it as it is
        kept = words or everything
    return _Name(tuple(_canon_word(word) for word in kept), tuple(kept))


def _name_tokens(name: str) -> tuple[str, ...]:
    return _name_parts(name).canon


def normalise_name(name: str) -> str:
    """The matching key of a person's or a business's name: titles, legal forms and kinds
    of shop removed, spelling unified, lower case, words separated by one space."""
    return " ".join(_name_tokens(name))


# --- similarity of words ------------------------------------------------------------------

INITIAL_SCORE = 0.85
TRANSPOSITION_SCORE = 0.85
INDEL_SCORE = 0.6
SUBSTITUTION_SCORE = 0.4
_VOWELS = frozenset("aeiou")
_pair_cache: dict[tuple[str, str], float] = {}


def _typo_score(a: str, b: str) -> float:
    """How likely two different words are one word mistyped: two adjacent letters swapped
    (Nurjnaah) 0.85; a letter left out or added (Hariyanto / Haryanto) 0.6; one letter
    for another 0.4, as that is as often another name (Wahyudi / Wahyuni, Hartono /
    Hartoyo); a final vowel for another 0, which is how Javanese names change sex
    (Susanto / Susanti)."""
    la, lb = len(a), len(b)
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 2:
            i, j = diffs
            return TRANSPOSITION_SCORE if j == i + 1 and a[i] == b[j] and a[j] == b[i] else 0.0
        if len(diffs) != 1:
            return 0.0
        i = diffs[0]
        if i == la - 1 and a[i] in _VOWELS and b[i] in _VOWELS:
            return 0.0
        return SUBSTITUTION_SCORE
    if abs(la - lb) != 1:
        return 0.0
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return INDEL_SCORE if a[i:] == b[i + 1 :] else 0.0


def _word_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    key = (a, b) if a < b else (b, a)
    cached = _pair_cache.get(key)
    if cached is not None:
        return cached
    la, lb = len(a), len(b)
    score = 0.0
    if la == 1 or lb == 1:
        if la != lb:
            short, long_ = (a, b) if la == 1 else (b, a)
            if not short.isdigit() and long_[0] == short:
                score = INITIAL_SCORE
    elif la >= 6 and lb >= 6 and a[0] == b[0] and not a.isdigit():
        score = _typo_score(a, b)
    if len(_pair_cache) > 500_000:
        _pair_cache.clear()
    _pair_cache[key] = score
    return score


_raw_cache: dict[tuple[str, str], float] = {}


def _raw_typo(a: str, b: str) -> float:
    """A typo seen in the words as written, when it hides behind the spelling rules
    (Mulyana / Muylana: the key of one is "muliana", of the other "muylana")."""
    if a == b or len(a) < 6 or len(b) < 6 or a[0] != b[0]:
        return 0.0
    key = (a, b) if a < b else (b, a)
    score = _raw_cache.get(key)
    if score is None:
        if len(_raw_cache) > 100_000:
            _raw_cache.clear()
        score = _raw_cache[key] = _typo_score(a, b)
    return score


def _weighted_overlap(
    a: tuple[str, ...],
    wa: tuple[float, ...],
    b: tuple[str, ...],
    wb: tuple[float, ...],
    ra: tuple[str, ...] | None = None,
    rb: tuple[str, ...] | None = None,
) -> float:
    """Sum over greedily paired words of similarity × (weight on a + weight on b);
    ``ra`` and ``rb``, the words as written, are looked at for typos."""
    pairs = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            s = _word_similarity(x, y)
            if s < TRANSPOSITION_SCORE and ra is not None and rb is not None:
                s = max(s, _raw_typo(ra[i], rb[j]))
            if s:
                pairs.append((s * (wa[i] + wb[j]), s, i, j))
    if not pairs:
        return 0.0
    pairs.sort(reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    total = 0.0
    for contribution, _s, i, j in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        total += contribution
    return total


# --- names --------------------------------------------------------------------------------


def _merge_adjacent(name: _Name, targets: frozenset[str]) -> _Name:
    """Join two adjacent words that spell one of ``targets`` (Nur Hayati → nurhayati)."""
    canon, raw = name.canon, name.raw
    out_canon: list[str] = []
    out_raw: list[str] = []
    i = 0
    while i < len(canon):
        if i + 1 < len(canon):
            joined = canon[i] + canon[i + 1]
            if joined not in targets:
                joined = _canon_word(joined)
            if joined in targets:
                out_canon.append(joined)
                out_raw.append(raw[i] + raw[i + 1])
                i += 2
                continue
        out_canon.append(canon[i])
        out_raw.append(raw[i])
        i += 1
    return _Name(tuple(out_canon), tuple(out_raw))


def _dice(a: _Name, b: _Name) -> float:
    overlap = _weighted_overlap(a.canon, a.weights, b.canon, b.weights, a.raw, b.raw)
    return overlap / (a.total + b.total)


def _mergeable(a: _Name, b: _Name) -> bool:
    return bool(a.joins & b.canon_set or b.joins & a.canon_set)


def _name_bound(a: _Name, b: _Name) -> float:
    """An upper bound of ``_name_sim(a, b)``: words pair only when their first letters
    agree (as keys or as written), and adjacent words are merged only when they spell a
    word of the other name."""
    if _mergeable(a, b):
        return 1.0
    lb, la = b.letters, a.letters
    reach = sum(w for w, f in zip(a.weights, a.firsts, strict=True) if f[0] in lb or f[1] in lb)
    reach += sum(w for w, f in zip(b.weights, b.firsts, strict=True) if f[0] in la or f[1] in la)
    return reach / (a.total + b.total)


def _name_sim(a: _Name, b: _Name) -> float:
    if not a.canon or not b.canon:
        return 0.0
    if a.canon == b.canon:
        return 1.0
    if a.key > b.key:  # a fixed order makes the greedy pairing, hence the score, symmetric
        a, b = b, a
    score = _dice(a, b)
    if score < 1.0 and _mergeable(a, b):
        ma = _merge_adjacent(a, b.canon_set)
        mb = _merge_adjacent(b, a.canon_set)
        score = max(score, _dice(ma, mb))
    return min(score, 1.0)


def name_similarity(a: str, b: str) -> float:
    """Similarity of two raw names, 0..1, symmetric (see the module docstring)."""
    return _name_sim(_name_parts(a), _name_parts(b))


# --- addresses ----------------------------------------------------------------------------

_ABBREVIATIONS = [
    (re.compile(p), r)
    for p, r in [
        (r"\b(?:jl|jln|jalan)\b\.?", " jalan "),
        (r"\b(?:gg|gang)\b\.?", " gang "),
        (r"\b(?:no|nmr|nomor|nomer|nr)(?:\b\.?|(?=\d))", " no "),
        (r"\b(?:kel|kelurahan|lurah)\b\.?", " kelurahan "),
        (r"\b(?:kec|kecamatan|camat)\b\.?", " kecamatan "),
        (r"\b(?:kab|kabupaten)\b\.?", " kabupaten "),
        (r"\b(?:kota|kodya|kotamadya|kt)\b\.?", " kota "),
        (r"\b(?:ds|desa)\b\.?", " desa "),
        (r"\b(?:dsn|dusun)\b\.?", " dusun "),
        (r"\b(?:prov|propinsi|provinsi)\b\.?", " provinsi "),
        (r"\b(?:komp|kompl|komplek|kompleks)\b\.?", " kompleks "),
        (r"\b(?:perum|perumahan)\b\.?", " perumahan "),
        (r"\b(?:blk|blok)(?:\b\.?|(?=\d))", " blok "),
        (r"\b(?:kp|kmp|kamp|kampung)\b\.?", " kampung "),
        (r"\b(?:lingk|ling|lingkungan)\b\.?", " lingkungan "),
        (r"\b(?:km|kilometer)(?:\b\.?|(?=\d))", " km "),
    ]
]
_RT_RW_TOGETHER = re.compile(
    r"(?<![a-z])rt\s*[./-]?\s*r[wk]\s*[.:]?\s*(\d{1,3})\s*[/-]\s*(\d{1,3})"
)
_RT_SLASH = re.compile(r"(?<![a-z])rt\s*[.:]?\s*(\d{1,3})\s*/\s*(\d{1,3})(?!\d)")
_RT = re.compile(r"(?<![a-z])rt\s*[.:]?\s*(\d{1,3})(?!\d)")
_RW = re.compile(r"(?<![a-z])r[wk]\s*[.:]?\s*(\d{1,3})(?!\d)")
_ADDRESS_SPLIT = re.compile(r"[^a-z0-9,]+|(,)")
_MISSING = frozenset(
    {"", "-", "--", "n/a", "na", "null", "none", "0", "tidak ada", "tdk ada", "belum ada"}
)
_ADDRESS_WORDS = _words(
    "jalan gang no rt rw kelurahan kecamatan kabupaten kota desa dusun provinsi kompleks "
    "perumahan blok kampung lingkungan km"
)
_STREET_OPENERS = frozenset(["jalan", "gang", "kompleks", "perumahan", "dusun", "kampung"])
_REGION_WORDS = _words(
    "barat timur utara selatan tengah jawa sumatera sumatra sulawesi kalimantan nusa "
    "tenggara daerah istimewa dki"
)
# Titles in street names (Jl. Dr. Sutomo, Jl. K.H. Ahmad Dahlan, Jl. Ir. H. Juanda).
_ADDRESS_STOP = _words(
    "dr dra drs ir prof h hj haji kh k indonesia jend jendral jenderal mayjen letjen "
    "brigjen kol kolonel letkol mayor kapten kapt laksda marsda"
)


def _int_text(match: re.Match[str], group: int) -> str:
    return str(int(match.group(group)))


@lru_cache(maxsize=1 << 16)
def _address_tokens(address: str) -> tuple[str, ...]:
    """Canonical words of an address, with ``,`` kept as a separator."""
    text = _ascii_lower(address).replace("'", "")
    text = _RT_RW_TOGETHER.sub(lambda m: f" rt {_int_text(m, 1)} rw {_int_text(m, 2)} , ", text)
    text = _RT_SLASH.sub(lambda m: f" rt {_int_text(m, 1)} rw {_int_text(m, 2)} , ", text)
    text = _RT.sub(lambda m: f" rt {_int_text(m, 1)} ", text)
    text = _RW.sub(lambda m: f" rw {_int_text(m, 1)} ", text)
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    tokens: list[str] = []
    for part in _ADDRESS_SPLIT.split(text):
        if not part:
            continue
        if part == ",":
            if tokens and tokens[-1] != ",":
                tokens.append(",")
            continue
        if part in _ADDRESS_WORDS:
            tokens.append(part)
        elif part.isalpha():
            tokens.append(_canon_word(part))
        else:
            tokens.append(part)
    while tokens and tokens[-1] == ",":
        tokens.pop()
    return tuple(tokens)


def normalise_address(address: str) -> str:
    """An address with its abbreviations expanded (``jalan``, ``gang``, ``no``,
    ``kelurahan`` …), RT/RW written ``rt 1 rw 2``, punctuation dropped, spelling unified."""
    if _ascii_lower(address).strip() in _MISSING:
        return ""
    return " ".join(t for t in _address_tokens(address) if t != ",")


@dataclass(frozen=True)
class _Address:
    words: tuple[str, ...]
    weights: tuple[float, ...]  # STREET_WEIGHT marks the words of the street
    house: str
    blok: str
    rt: str
    rw: str
    postcode: str
    km: str


STREET_WEIGHT = 2.0
_HOUSE = re.compile(r"^\d{1,4}[a-z]?$")
_POSTCODE = re.compile(r"^[1-9]\d{4}$")
_BLOK = re.compile(r"^(?:[a-z]{1,3}\d{0,3}|\d{1,3}[a-z]?)$")


@lru_cache(maxsize=1 << 16)
def _parse_address(address: str) -> _Address | None:
    if _ascii_lower(address).strip() in _MISSING:
        return None
    items = _address_tokens(address)
    words: list[str] = []
    weights: list[float] = []
    bare: list[tuple[int, str, bool]] = []  # numbers without "no": (position, number, in street)
    house = blok = rt = rw = postcode = km = ""
    in_street = False
    i = 0
    n = len(items)
    while i < n:
        item = items[i]
        nxt = items[i + 1] if i + 1 < n else ""
        if item in ("rt", "rw") and nxt.isdigit():
            if item == "rt":
                rt = rt or nxt
            else:
                rw = rw or nxt
            in_street = False
            i += 2
            continue
        if item == "no" and nxt[:1].isdigit():
            number = nxt
            i += 2
            if i < n and len(items[i]) == 1 and items[i].isalpha() and number.isdigit():
                number += items[i]
                i += 1
            house = house or number
            in_street = False
            continue
        if item == "blok":  # Blok C2, Blok C-2, Blok AA 12, Blok 3
            code = ""
            i += 1
            if i < n and items[i] not in _ADDRESS_WORDS and _BLOK.match(items[i]):
                code = items[i]
                i += 1
                if code.isalpha() and i < n and items[i].isdigit() and len(items[i]) <= 2:
                    code += items[i]
                    i += 1
            blok = blok or code
            in_street = False
            continue
        if item == "km" and nxt[:1].isdigit():
            km = km or nxt
            i += 2
            continue
        if item == "gang" and nxt.isdigit():
            words.append("gang" + nxt)
            weights.append(STREET_WEIGHT)
            in_street = True
            i += 2
            continue
        i += 1
        if item == ",":
            in_street = False
        elif item in _STREET_OPENERS:
            in_street = True
        elif item in _ADDRESS_WORDS:
            in_street = False
        elif item[:1].isdigit():
            if _POSTCODE.match(item):
                postcode = postcode or item
            elif _HOUSE.match(item):
                bare.append((len(words), item, in_street))
            in_street = False
        elif item not in _ADDRESS_STOP:
            words.append(item)
            if in_street:
                weights.append(STREET_WEIGHT)
            elif item in _REGION_WORDS or len(item) == 1:
                weights.append(0.5)
            else:
                weights.append(1.0)
    if bare:
        # Without "No." the last bare number is the house ("Jln Melati 5"); the others,
        # after a street's name, belong to it ("Jl. Pelajar Pejuang 45 No. 6").
        if not house:
            house = bare.pop()[1]
        for position, number, street in reversed(bare):
            if street:
                words.insert(position, number)
                weights.insert(position, STREET_WEIGHT)
    if not any(word.isalpha() for word in words):
        return None
    return _Address(tuple(words), tuple(weights), house, blok, rt, rw, postcode, km)


def _house_factor(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.9
    if a == b:
        return 1.0
    if a.rstrip("abcdefghijklmnopqrstuvwxyz") == b.rstrip("abcdefghijklmnopqrstuvwxyz"):
        return 0.6
    return 0.4


def _merge_words(
    words: tuple[str, ...], weights: tuple[float, ...], targets: frozenset[str]
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Join adjacent words that the other address writes as one (Buah Batu / Buahbatu)."""
    if len(words) < 2:
        return words, weights
    out_words: list[str] = []
    out_weights: list[float] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and words[i] + words[i + 1] in targets:
            out_words.append(words[i] + words[i + 1])
            out_weights.append(max(weights[i], weights[i + 1]))
            i += 2
        else:
            out_words.append(words[i])
            out_weights.append(weights[i])
            i += 1
    return tuple(out_words), tuple(out_weights)


def _streets_disjoint(a: set[str], b: set[str]) -> bool:
    if not a or not b or a & b:
        return False
    return not any(_word_similarity(x, y) for x in a for y in b)


def _address_sim(a: _Address | None, b: _Address | None) -> float:
    if a is None or b is None:
        return 0.0
    if a == b:
        return 1.0
    aw, awt = _merge_words(a.words, a.weights, frozenset(b.words))
    bw, bwt = _merge_words(b.words, b.weights, frozenset(a.words))
    if (aw, awt) > (bw, bwt):  # a fixed order keeps the greedy pairing symmetric
        aw, awt, bw, bwt = bw, bwt, aw, awt
    overlap = _weighted_overlap(aw, awt, bw, bwt)
    total_a, total_b = sum(awt), sum(bwt)
    dice = overlap / (total_a + total_b)
    containment = min(1.0, overlap / (2 * min(total_a, total_b)))
    score = (dice + containment) / 2
    score *= _house_factor(a.house, b.house)
    if a.blok and b.blok and a.blok != b.blok:
        score *= 0.4
    if a.rt and b.rt and a.rt != b.rt:
        score *= 0.5
    if a.rw and b.rw and a.rw != b.rw:
        score *= 0.6
    if a.postcode and b.postcode and a.postcode != b.postcode:
        score *= 0.7
    if a.km and b.km and a.km != b.km:
        score *= 0.5
    street_a = {w for w, wt in zip(aw, awt, strict=True) if wt == STREET_WEIGHT}
    street_b = {w for w, wt in zip(bw, bwt, strict=True) if wt == STREET_WEIGHT}
    if _streets_disjoint(street_a, street_b):
        score *= 0.5
    return min(score, 1.0)


def address_similarity(a: str, b: str) -> float:
    """Similarity of two raw addresses, 0..1, symmetric; 0 if either is missing."""
    return _address_sim(_parse_address(a), _parse_address(b))


# --- parties ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Profile:
    nik: str
    nib: str
    npwp: str
    name: _Name
    address: _Address | None


@lru_cache(maxsize=1 << 16)
def _profile(party: Party) -> _Profile:
    return _Profile(
        nik=_digits(party.nik, (16,)),
        nib=_digits(party.nib, (13,)),
        npwp=_npwp16(party.npwp),
        name=_name_parts(party.name or ""),
        address=_parse_address(party.address or ""),
    )


def party_match(applicant: Party, affiliated: Party) -> Match | None:
    """Whether ``applicant`` is, in all likelihood, ``affiliated``: an identifier in
    common, else a similar name at a similar address (see the module docstring)."""
    a = _profile(applicant)
    b = _profile(affiliated)
    if a.nik and b.nik and a.nik == b.nik:
        return Match("nik", 1.0, "same NIK")
    if a.nib and b.nib and a.nib == b.nib:
        return Match("nib", 1.0, "same NIB")
    if a.npwp and b.npwp and a.npwp == b.npwp:
        return Match("npwp", 1.0, "same NPWP")
    if (a.npwp and a.npwp[0] != "0" and a.npwp == b.nik) or (
        b.npwp and b.npwp[0] != "0" and b.npwp == a.nik
    ):
        return Match("npwp", 1.0, "NPWP of one party is the NIK of the other")
    if a.address is None or b.address is None:
        return None
    if not a.name.canon or not b.name.canon:
        return None
    if _name_bound(a.name, b.name) < NAME_THRESHOLD:
        return None
    name = _name_sim(a.name, b.name)
    if name < NAME_THRESHOLD:
        return None
    address = _address_sim(a.address, b.address)
    if address < ADDRESS_THRESHOLD:
        return None
    detail = f"name {name:.2f}, address {address:.2f}"
    differing = [
        label
        for label, x, y in (("NIK", a.nik, b.nik), ("NIB", a.nib, b.nib), ("NPWP", a.npwp, b.npwp))
        if x and y and x != y
    ]
    if differing:
        detail += "; " + ", ".join(differing) + " differs"
    return Match("name_address", round((name + address) / 2, 4), detail)


def site_match(site: str, affiliated: Party) -> Match | None:
    """Whether the place a file asks a permit for (its site's address) is where ``affiliated``
    lives or works: the same dwelling, so both addresses must name one (a house number, or
    an RT and RW) and be similar past ``ADDRESS_THRESHOLD``. A road alone, or a desa alone,
    is a neighbourhood, not an address in common."""
    a, b = _parse_address(site or ""), _parse_address(affiliated.address or "")
    if a is None or b is None:
        return None
    if not ((a.house and b.house) or (a.rt and b.rt and a.rw and b.rw)):
        return None
    score = _address_sim(a, b)
    if score < ADDRESS_THRESHOLD:
        return None
    return Match("site", round(score, 4), f"site address {score:.2f}")
