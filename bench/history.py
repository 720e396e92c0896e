"""An office's history, replayed through the real services, with planted misconduct.

    DEBUG=1 .venv/bin/python bench/history.py [--files 480] [--seed 1] [--write]

``history_generate(files, seed)`` builds a one-stop office (a DPMPTSP with its counter, a
single approving supervisor and the head, and the technical offices of four OPDs), then
lives about four months of it (5 January to 30 April 2026, over the office's calendar:
national holidays, Nyepi, Idul Fitri and its cuti bersama) with the clock moved by
time-machine. Every file is created, uploaded, checked, returned, resubmitted, moved,
paid, approved and signed by the same service functions the views call; staff views and
file messages by their services too. Nothing writes an event by hand. The red-flag engine
runs as in production: each event's rules once it commits (Celery eager here), and the
nightly sweep each night. What was planted is returned as ``Truth``.

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

A file planted for one rule is in that rule's truth only; when a plant also jumped files
waiting in its holder's queue (FAST, PRESSURE, FLIP under pressure), it is in QUEUE's
truth too, since it did jump the queue.
"""
