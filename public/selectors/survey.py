"""The satisfaction survey's indexes, read from its answers.

IKM (PermenPANRB 14/2017): the mean score of each of the nine elements (NRR), weighted
exactly 1/9 each, times 25, so 25 ≤ IKM ≤ 100. Service quality categories by IKM:
A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99 (the value is rounded to two
decimals before it is banded, as the regulation's tables are).

Integrity index (after KPK's SPI, here from the survey's three integrity questions): each
answer scores 100 × the share of questions answered "no"; a unit's index is the mean of its
answers' scores; bands (rentan, waspada, terjaga by default) are data (``IntegrityBand``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy

from public.models import IntegrityBand, SurveyResponse
from public.models.survey import ELEMENT_FIELDS, INTEGRITY_FIELDS

# (lowest IKM, category, quality) from the regulation's table, best first.
IKM_CATEGORIES = (
    (Decimal("88.31"), "A", gettext_lazy("Sangat baik")),
    (Decimal("76.61"), "B", gettext_lazy("Baik")),
    (Decimal("65.00"), "C", gettext_lazy("Kurang baik")),
    (Decimal("25.00"), "D", gettext_lazy("Tidak baik")),
)
TWO_PLACES = Decimal("0.01")


# --- the indexes ----------------------------------------------------------------------------

# The elements' short names (PermenPANRB 14/2017), in the order of ``ELEMENT_FIELDS``.
ELEMENT_NAMES = (
    gettext_lazy("Persyaratan"),
    gettext_lazy("Sistem, mekanisme, dan prosedur"),
    gettext_lazy("Waktu penyelesaian"),
    gettext_lazy("Biaya/tarif"),
    gettext_lazy("Produk spesifikasi jenis pelayanan"),
    gettext_lazy("Kompetensi pelaksana"),
    gettext_lazy("Perilaku pelaksana"),
    gettext_lazy("Penanganan pengaduan, saran dan masukan"),
    gettext_lazy("Sarana dan prasarana"),
)


def min_group() -> int:
    """Below this many answers a group's numbers are withheld from the office's staff and
    the public (settings.SURVEY_MIN_GROUP): the means of one or two answers are those
    answers, and the unit knows whose files ended."""
    return settings.SURVEY_MIN_GROUP


@dataclass(frozen=True)
class Ikm:
    responses: int
    element_means: tuple[Decimal, ...]  # NRR per element, u1..u9, two decimals (shown)
    value: Decimal | None  # 25..100, two decimals
    category: str  # A-D, "" without answers
    quality: str

    @property
    def label(self) -> str:
        return f"{self.value} ({self.category})" if self.value is not None else "–"


def ikm_category(value: Decimal) -> tuple[str, str]:
    for lowest, category, quality in IKM_CATEGORIES:
        if value >= lowest:
            return category, str(quality)
    return "D", str(IKM_CATEGORIES[-1][2])


def ikm_from_means(responses: int, means) -> Ikm:
    """The IKM from the nine element means (NRR): Σ NRR × 1/9 × 25, the weight exactly
    1/9 (not a rounded 0.111), the means unrounded; the result rounded half up to two
    decimals, then categorised."""
    if not responses:
        return Ikm(0, (), None, "", "")
    means = tuple(m if isinstance(m, Decimal) else Decimal(str(m)) for m in means)
    value = (sum(means) * 25 / Decimal(9)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    category, quality = ikm_category(value)
    shown = tuple(m.quantize(TWO_PLACES, rounding=ROUND_HALF_UP) for m in means)
    return Ikm(responses, shown, value, category, quality)


@dataclass(frozen=True)
class IntegrityIndex:
    responses: int
    value: Decimal | None
    band: IntegrityBand | None
    reports: int  # answers with at least one "yes"

    @property
    def band_label(self) -> str:
        return self.band.label if self.band else "–"


def integrity_band(value: Decimal, bands=None) -> IntegrityBand | None:
    """The band with the highest lower bound at or below ``value``."""
    bands = list(bands) if bands is not None else list(IntegrityBand.objects.order_by("lower"))
    chosen = None
    for band in sorted(bands, key=lambda b: b.lower):
        if value >= band.lower:
            chosen = band
    return chosen


@dataclass
class Totals:
    """Sums over a group of answers; additive, so a unit's totals are its types' totals
    added, and every mean is computed exactly from sums (no float averages)."""

    n: int = 0
    sums: list = field(default_factory=lambda: [0] * len(ELEMENT_FIELDS))
    yes: list = field(default_factory=lambda: [0] * len(INTEGRITY_FIELDS))
    reports: int = 0

    def add(self, other: Totals) -> None:
        self.n += other.n
        self.sums = [a + b for a, b in zip(self.sums, other.sums, strict=True)]
        self.yes = [a + b for a, b in zip(self.yes, other.yes, strict=True)]
        self.reports += other.reports

    def ikm(self) -> Ikm:
        if not self.n:
            return ikm_from_means(0, ())
        return ikm_from_means(self.n, [Decimal(s) / self.n for s in self.sums])

    def integrity(self, bands) -> IntegrityIndex | None:
        """100 × the share of integrity answers that were "no"."""
        if not self.n:
            return None
        answers = self.n * len(INTEGRITY_FIELDS)
        no = answers - sum(self.yes)
        value = (Decimal(100) * no / answers).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        return IntegrityIndex(self.n, value, integrity_band(value, bands), self.reports)


def _period(responses, start, end):
    if start is not None:
        responses = responses.filter(answered_at__gte=start)
    if end is not None:
        responses = responses.filter(answered_at__lt=end)
    return responses


def _keys(group) -> list[str]:
    groups = (group,) if isinstance(group, str) else tuple(group)
    return [f"{g}_id" for g in groups if g]


def survey_totals(group="", *, start=None, end=None) -> dict:
    """``Totals`` per ``group`` in one query: "" (everything, key ""), "unit" or
    "permit_type" (keys are ids), or a tuple of those (keys are tuples of ids)."""
    keys = _keys(group)
    breach = Q()
    for name in INTEGRITY_FIELDS:
        breach |= Q(**{name: True})
    sums = {
        "n": Count("id"),
        "reports": Count("id", filter=breach),
        **{f"sum_{f}": Sum(f) for f in ELEMENT_FIELDS},
        **{f"yes_{f}": Count("id", filter=Q(**{f: True})) for f in INTEGRITY_FIELDS},
    }
    responses = _period(SurveyResponse.objects.all(), start, end)
    if keys:
        rows = responses.values(*keys).annotate(**sums).order_by()
    else:  # ``values()`` without fields would group by every column: one row per answer
        rows = [responses.aggregate(**sums)]
    result = {}
    for row in rows:
        if not row["n"]:
            continue
        key = "" if not keys else row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys)
        result[key] = Totals(
            row["n"],
            [row[f"sum_{f}"] for f in ELEMENT_FIELDS],
            [row[f"yes_{f}"] for f in INTEGRITY_FIELDS],
            row["reports"],
        )
    return result


def ikm_by(group="", *, start=None, end=None) -> dict:
    """IKM per ``group`` (see ``survey_totals``) in one query."""
    return {key: t.ikm() for key, t in survey_totals(group, start=start, end=end).items()}


def integrity_by(group="", *, start=None, end=None) -> dict:
    """The integrity index per ``group`` (see ``survey_totals``), two queries."""
    totals = survey_totals(group, start=start, end=end)
    bands = list(IntegrityBand.objects.order_by("lower"))
    return {key: t.integrity(bands) for key, t in totals.items()}


@dataclass
class Rollup:
    """A period's answers summed per (unit, permit type), and those sums added up per type,
    per unit and overall: one query."""

    pairs: dict  # (unit id, type id) -> Totals
    types: dict  # type id -> Totals
    units: dict  # unit id -> Totals
    total: Totals


def survey_rollup(*, start=None, end=None) -> Rollup:
    pairs = survey_totals(("unit", "permit_type"), start=start, end=end)
    types, units, total = defaultdict(Totals), defaultdict(Totals), Totals()
    for (unit_id, type_id), totals in pairs.items():
        types[type_id].add(totals)
        units[unit_id].add(totals)
        total.add(totals)
    return Rollup(pairs, dict(types), dict(units), total)


@dataclass
class IndexRow:
    """One line of the index overview: a unit, a permit type, or all units."""

    subject: object  # an OPD, a PermitType, or None for all
    ikm: Ikm
    integrity: IntegrityIndex | None
    shown: bool  # False: too few answers for this reader to see more than their count
    types: list = field(default_factory=list)

    @property
    def responses(self) -> int:
        return self.ikm.responses


def index_overview(*, start, end, small_groups: bool) -> tuple[list[IndexRow], IndexRow]:
    """The IKM and the integrity index per unit, and per permit type within each, for the
    period; four queries whatever the size. ``small_groups``: the reader (the
    inspectorate) may see groups of fewer than ``min_group()`` answers."""
    from permits.models import OPD, PermitType

    rollup = survey_rollup(start=start, end=end)
    bands = list(IntegrityBand.objects.order_by("lower"))
    units = OPD.objects.in_bulk(rollup.units)
    types = PermitType.objects.in_bulk(rollup.types)

    def row(subject, totals: Totals) -> IndexRow:
        shown = small_groups or totals.n >= min_group()
        return IndexRow(subject, totals.ikm(), totals.integrity(bands), shown)

    rows = []
    for unit_id, totals in rollup.units.items():
        unit_row = row(units[unit_id], totals)
        unit_row.types = sorted(
            (row(types[t], tt) for (u, t), tt in rollup.pairs.items() if u == unit_id),
            key=lambda r: r.subject.code,
        )
        rows.append(unit_row)
    rows.sort(key=lambda r: r.subject.code)
    return rows, row(None, rollup.total)
