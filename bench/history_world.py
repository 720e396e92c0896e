"""The world ``bench/history.py`` lives: the office, its people and what they do, as
distributions, with the simulation's bookkeeping of a file.

The distributions below were written down from how an Indonesian DPMPTSP (Mal Pelayanan
Publik) works, before reading any rule's parameters, and are not to be tuned to them.
Working hours (jam kerja) are counted on the office's calendar; "h" is a working hour.

The office
----------
- DPMPTSP: 4 counter officers (petugas loket), 1 cashier (bendahara penerimaan), ONE
  supervisor (Kabid Pelayanan: every approval in the office is hers, a stage held by one
  person), the head (Kepala Dinas: signs every permit). DINKES 3 technical officers,
  DPUPR 2, DISHUB 1 and DISNAKER 1 (each alone in its unit: every technical file of the
  unit is theirs).
- Permit types from the real catalogue: health practice permits (3-day SOP, about 40% of
  files: the volume of a regency's MPP), hour-SOP types (same-day service: 2-4 hours,
  about 20%), and longer types with inspection and a fee (DPUPR, DISHUB, DINKES clinics;
  7-14 days, about 40%).
- Staff work 07:30-16:00 (ASN office hours); the counter serves 08:00-15:30 (Friday
  15:00). Internal work (review, approval, signing) may fall between 15:30 and 16:00 and
  from 07:30: that is the office's normal day, not misconduct.

Arrivals
--------
- About ``files`` over the working days of the period (Poisson per day): Monday 1.3x,
  Tuesday 1.1x, Wednesday 1.0x, Thursday 0.9x, Friday 0.7x (Friday prayers, short day).
- Busy weeks: the two working weeks before the Lebaran cuti bersama 1.8x (businesses
  want permits before the holiday); the first week of January 0.6x.
- 45% walk-in at the counter (submitted 08:00-14:30, mostly mid-morning), 55% online
  (submitted 06:00-23:00: applicants act when they like; not staff acts).
- Applicants: 80% of files from one-off applicants; 20% from 10 legitimate repeat
  applicants (a pharmacy chain, a clinic group, contractors, a transport company whose
  files all go to DISHUB's only technical officer) with 4-12 files each.
- 18% of files are returned at verification (1-2 requirements missing or invalid); the
  applicant comes back after 1-6 calendar days (lognormal, median 2) with a NEW document
  (new content) and resubmits; the officer re-checks it and completes it, often the same
  day.

Honest handling (each officer a queue)
--------------------------------------
- Counter: a walk-in file is begun at the desk 5-30 minutes after submission (the
  applicant is standing there: served ahead of online files, by the queue number). Online
  files wait in the assigned officer's queue, taken earliest SOP deadline first (hour-SOP
  files first, as their SOP demands), ties by arrival; 15% of picks take the second file
  instead of the first (a colleague asked, the first one needs a phone call).
- Verification work: lognormal median 0.5 h, sigma 0.5.
- Technical review: the technical officer's queue, earliest deadline first; work
  lognormal median 25% of the type's SOP hours (sigma 0.5), at least 0.5 h.
- Inspection: scheduled 1-4 working days after review (field trips are batched), the
  report filed at the end of that day's field work.
- Payment (types with a fee): the applicant pays at the cashier after 0.3-3 calendar
  days (clock paused).
- Approval: the single supervisor approves in two rounds a day (about 10:00 and 14:00).
- Signing: the head signs once a day around 15:00; 10% of working days the head is away
  (dinas luar) and signs the next working day.
- Hour-SOP types: every stage within 10-40 minutes, the same day.
- Night work on a deadline: 4% of technical reviews whose file is due within a working
  day are finished 16:00-19:00 (lembur), and 2% of approvals at 15:30-16:00.
- Holidays and cuti bersama: nobody works; Monday after Lebaran carries the backlog.

Decoys: honest acts that look like misconduct
---------------------------------------------
1. Same-day SOP files finished in one to three hours.
2. Simple complete files in a quiet week finishing well inside their SOP.
3. Returns with a new document, resubmitted and completed the same day.
4. A mis-click: a requirement marked invalid then corrected to ok by the same officer 2-10
   minutes later with a note (3% of verifications).
5. Original shown at the counter: a requirement marked missing, the applicant brings it the
   same day, the counter officer uploads a scan (new content) and marks it ok (3%).
6. Walk-ins served at the desk before online files; hour-SOP files and files close to their
   deadline taken first.
7. Repeat applicants spread by the automatic least-loaded assignment; a transport
   company's files all with DISHUB's only technical officer; every approval by the one
   supervisor, every signature by the head.
8. Work between 15:30 and 16:00 and from 07:30; overtime to 19:00 on a file due.
9. Supervisor monitoring: she opens about 20% of open files each week, the head about 5%;
   after a file turns late she opens it and its holder finishes it soon (it is due).

Plants (misconduct; counts for 480 files, scaled with ``files``)
----------------------------------------------------------------
- FAST (10): a fast-tracked file (uang pelicin): every stage done 10-60 minutes after the
  previous one, the inspection written up without a visit, 1-6 working hours in all on a
  type whose SOP is 3 days or more, taken ahead of whoever waits.
- FLIP (10): a requirement found missing or invalid with a note; 1-3 working days later,
  with no new content, the officer turns it ok ("sudah dikonfirmasi") or, half the time,
  after uploading a re-saved copy of the same scan (other bytes, same document), then
  declares the file complete within the hour.
- QUEUE (10): the holder takes a file that entered their queue 0-3 working hours ago ahead
  of 2-6 files waiting for 1-3 working days, for no deadline reason.
- PAIR (3 pairs): a counter officer and a "biro jasa" applicant with 6-9 files, each handed
  to that officer by the supervisor on the applicant's request.
- HOURS (10 acts): an officer acts at 19:00-23:30 on a weekday, or in daytime on a weekend
  or holiday, on a file not due within a working day.
- LATE: every file that passed its SOP deadline, by the simulated clock (busy weeks,
  backlog after Lebaran, the head away), plus 6 "parked" files an officer sits on until
  1.3-2x their SOP.
- PRESSURE (10): the supervisor or the head opens the file (or posts a message on it) and
  within 5-55 minutes its holder finishes the stage or turns a verdict, while 1-5 older
  files wait in the holder's queue.

Amendments made while implementing (after the rules were read; none moves a plant or a
decoy towards or away from a threshold):

- Technical review is modelled per file (each file's review takes its own lognormal time
  from entering the stage), not as one queue per officer: a complex file finishes after
  a simpler one that came later, as in a real office. Inspection trips are as written.
- Overtime: when a review would finish after its file's deadline, 30% are finished the
  evening of the deadline day (16:30-19:00); the supervisor holds a late approval round
  at 15:30-16:00 on 30% of days.
- QUEUE and PRESSURE plants happen in technical review (where files wait long enough to be
  jumped in an office of this size), PRESSURE by finishing the review; none at the counter.
- The SLA reminders run once a day at 09:00 (hourly in production), the nightly sweep
  covers each day once (see ``Office.sweep``). Tiny histories (under 96 files) have one
  biro jasa only.

A file planted for one rule is in that rule's truth only; when a plant also jumped files
waiting in its holder's queue (FAST, PRESSURE, FLIP under pressure), it is in QUEUE's
truth too, since it did jump the queue.

Amended in session 9, after reading which plants the reworked QUEUE missed on seed 1: a
plant "jumped" only files ahead of it in the queue's own order, earliest deadline first
(as written above), i.e. due no later than itself. Before, passing any earlier arrival
counted, so a three-day file reviewed before a fourteen-day one that came a day earlier
(and is due ten days later) was a jump by the truth and a correct order by the office's
rule. No plant, decoy or distribution changed; seeds 5 and 6 were generated before this
and judged only after.

Also amended then: whether a plant jumped is judged as it leaves the stage (the files that
came before it and are still there), not as it enters (a file that left in the meantime
was not passed); at the counter only for an online file (a walk-in is served at once by
design, decoy 6).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import zoneinfo
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from bench.documents import page_pdf

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
START = dt.date(2026, 1, 5)
END = dt.date(2026, 4, 30)
IP, AGENT = "10.20.0.7", "terang-history"

# (code, weight): the permit types this office serves and their share of files.
TYPES = [
    ("KES-SIP-DOKTER", 8), ("KES-SIP-PERAWAT", 8), ("KES-SIP-BIDAN", 6),
    ("KES-SIP-APOTEKER", 6), ("KES-SIP-DOKTER-GIGI", 4), ("KES-SIP-TTK", 4),
    ("KES-SIP-FISIOTERAPIS", 2), ("KES-SIP-ATLM", 2),
    ("NAKER-KARTU-AK1", 12), ("HUB-INSIDENTIL", 5), ("NAKER-PENCATATAN-PKWT", 3),
    ("KES-IZIN-APOTEK", 4), ("KES-IZIN-TOKO-OBAT", 3), ("KES-KLINIK-PRATAMA", 3),
    ("KES-SLHS", 3), ("PU-PBG", 6), ("PU-SLF", 3), ("PU-KRK", 4), ("PU-RUMIJA", 2),
    ("HUB-TRAYEK-PERDESAAN", 3), ("HUB-PARKIR", 2), ("HUB-REK-NUMPANG-UJI", 3),
    ("NAKER-PENGESAHAN-PP", 2), ("NAKER-IZIN-LEMBUR", 2),
]  # fmt: skip
# Legitimate repeat applicants: (name, types they file, how many files).
REPEATERS = [
    ("Apotek Sehat Sentosa", ["KES-IZIN-APOTEK", "KES-SIP-APOTEKER", "KES-SIP-TTK"], 10),
    ("Klinik Pratama Medika", ["KES-SIP-DOKTER", "KES-SIP-PERAWAT", "KES-SIP-BIDAN"], 12),
    ("RS Mitra Keluarga Sukamaju", ["KES-SIP-DOKTER", "KES-SIP-PERAWAT", "KES-SIP-ATLM"], 11),
    ("CV Karya Bangun", ["PU-PBG", "PU-SLF", "PU-KRK"], 9),
    ("PT Griya Asri Properti", ["PU-PBG", "PU-KRK", "PU-SLF"], 10),
    ("PO Sinar Jaya Transport", ["HUB-TRAYEK-PERDESAAN", "HUB-REK-NUMPANG-UJI"], 9),
    ("Koperasi Angkutan Desa", ["HUB-INSIDENTIL", "HUB-TRAYEK-PERDESAAN"], 8),
    ("PT Tekstil Nusantara", ["NAKER-PENGESAHAN-PP", "NAKER-IZIN-LEMBUR"], 7),
    ("LPK Cahaya Prima", ["NAKER-KARTU-AK1", "NAKER-PENCATATAN-PKWT"], 6),
    ("Toko Obat Berkah", ["KES-IZIN-TOKO-OBAT", "KES-SIP-TTK"], 5),
]
# Biro jasa (agents) in league with a counter officer: (name, as representative?, types).
BROKERS = [
    ("Biro Jasa Amanah", False, ["PU-PBG", "PU-KRK", "KES-IZIN-TOKO-OBAT"]),
    ("CV Urus Cepat", False, ["KES-SIP-DOKTER", "KES-SIP-PERAWAT", "HUB-REK-NUMPANG-UJI"]),
    ("Pak Darto (kuasa)", True, ["PU-SLF", "PU-PBG", "KES-IZIN-APOTEK"]),
]
FIRST = [
    "Agus",
    "Budi",
    "Citra",
    "Dedi",
    "Eka",
    "Fitri",
    "Gita",
    "Hadi",
    "Indah",
    "Joko",
    "Kartika",
    "Lina",
    "Made",
    "Nanda",
    "Oki",
    "Putri",
    "Rizki",
    "Sari",
    "Tono",
    "Umi",
    "Vina",
    "Wahyu",
    "Yanti",
    "Zainal",
]
LAST = [
    "Saputra",
    "Wijaya",
    "Lestari",
    "Hidayat",
    "Kusuma",
    "Pratama",
    "Santoso",
    "Rahmawati",
    "Nugroho",
    "Siregar",
    "Harahap",
    "Simanjuntak",
    "Wibowo",
    "Susanti",
    "Setiawan",
    "Gunawan",
]


def _local(day: dt.date, hour: float) -> dt.datetime:
    h, m = int(hour), round((hour % 1) * 60)
    if m == 60:
        h, m = h + 1, 0
    return dt.datetime.combine(day, dt.time(h, m), tzinfo=JAKARTA)


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma))


@dataclass
class File:
    """The simulation's own bookkeeping of one file (never read back by the rules)."""

    index: int
    code: str
    walk_in: bool
    person: tuple  # (name, nik, address)
    account: object = None  # the applicant's account for an online file
    representative: tuple | None = None
    plant: str = ""  # FAST, FLIP, QUEUE, PAIR, HOURS, PARKED, PRESSURE or ""
    broker_officer: object = None
    pk: int = 0
    stage: str = "draft"
    stage_since: dt.datetime | None = None
    holder: int | None = None
    queue_entries: list = field(default_factory=list)  # [start, end or None]
    clock_start: dt.datetime | None = None
    pauses: list = field(default_factory=list)  # [start, end or None]
    finished: dt.datetime | None = None
    returned_once: bool = False
    accelerated: bool = False  # a plant pushes it through (no round, no queue)


def _document(f: File, requirement, variant: str) -> ContentFile:
    """A small valid upload: a PDF whose words name this file, this requirement and this
    document (``variant``; "-resaved" is the same document saved again: other bytes, the
    same words), or a PNG (no words) whose bytes are its own."""
    tag = f"{f.index}-{requirement.code}-{variant}".encode()
    if "pdf" in requirement.formats:
        document = variant.removesuffix("-resaved")
        text = f"Dokumen {requirement.code} nomor {f.index}/{document} untuk berkas {f.index}"
        resaved = b"disimpan ulang" if variant.endswith("-resaved") else b""
        return ContentFile(page_pdf(text, resaved, size=14), name=f"{requirement.code}.pdf")
    return ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + tag, name=f"{requirement.code}.png")
