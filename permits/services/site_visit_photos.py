"""Photos of a site visit (issue 22.2), taken on a phone in the browser.

Where and when a photo was taken is read from the photo itself (its EXIF time and GPS
position) and, where the photo carries none (many phones strip it on upload), from what
the phone's browser reported when the photo was sent (its position and clock); failing
both, the upload's own time. Each photo is then compared with what the visit is about:

- the place: farther than ``PLACE_TOLERANCE_M`` (plus the browser's stated accuracy, at
  most ``ACCURACY_ALLOWED_M``) from the map point the application gives for the site;
- the time: earlier than ``EARLY`` before the appointment or later than ``LATE`` after it.

A mismatch is not refused (a photo is evidence, and refusing it would lose it): it is
recorded on the photo and in the file's event, shown on the file page and printed on the
report, for the approver and the inspectorate to weigh.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from permits.event_names import SITE_VISIT_PHOTO_ADDED
from permits.models import PhotoSource, SiteVisit, SiteVisitPhoto, VisitStatus
from permits.services.context import ActionRefused, Actor
from permits.services.events import file_event, held_attempts_recorded
from permits.services.site_visit_reports import PHOTO, visit_locked_agreed
from permits.uploads import CONTENT_TYPES, UploadRejected, upload_inspect

PLACE_TOLERANCE_M = 300.0
ACCURACY_ALLOWED_M = 500.0
EARLY = datetime.timedelta(hours=1)
LATE = datetime.timedelta(hours=4)
PHOTO_MAX_KB = 10 * 1024
PHOTOS_PER_VISIT = 30
EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True)
class BrowserFix:
    """What the phone's browser said when the photo was sent."""

    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    at: datetime.datetime | None = None


@dataclass(frozen=True)
class PhotoFacts:
    """What a photo's own data says (None where it says nothing)."""

    taken_at: datetime.datetime | None = None
    lat: float | None = None
    lon: float | None = None


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def _degrees(value, ref) -> float | None:
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    return -degrees if str(ref).upper() in {"S", "W"} else degrees


def photo_facts(uploaded) -> PhotoFacts:
    """The EXIF time (DateTimeOriginal, with its offset if given, else the office's time
    zone) and GPS position of an image; an image without them, or not readable, says
    nothing."""
    from PIL import Image, UnidentifiedImageError

    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            exif = image.getexif()
    except (UnidentifiedImageError, OSError, ValueError):
        return PhotoFacts()
    finally:
        uploaded.seek(0)
    taken_at = None
    details = exif.get_ifd(0x8769)
    stamp = details.get(36867) or exif.get(306)
    if isinstance(stamp, str):
        try:
            naive = datetime.datetime.strptime(stamp.strip(), "%Y:%m:%d %H:%M:%S")
        except ValueError:
            naive = None
        if naive is not None:
            offset = details.get(36881)
            if isinstance(offset, str) and len(offset) == 6 and offset[0] in "+-":
                sign = 1 if offset[0] == "+" else -1
                hours, minutes = int(offset[1:3]), int(offset[4:6])
                zone = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
                taken_at = naive.replace(tzinfo=zone)
            else:
                taken_at = timezone.make_aware(naive)
    gps = exif.get_ifd(0x8825)
    lat = _degrees(gps.get(2), gps.get(1)) if gps else None
    lon = _degrees(gps.get(4), gps.get(3)) if gps else None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    return PhotoFacts(taken_at, lat, lon)


def _image_checked(uploaded) -> tuple[str, str]:
    """JPEG or PNG by content, within the size limit, and an image Pillow can read."""
    from PIL import Image, UnidentifiedImageError

    kind, digest = upload_inspect(uploaded, formats=["jpg", "png"], max_size_kb=PHOTO_MAX_KB)
    try:
        with Image.open(uploaded) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as broken:
        raise UploadRejected(_("Foto tidak dapat dibaca. Ambil atau pilih foto lain.")) from broken
    finally:
        uploaded.seek(0)
    return kind, digest


def may_add_photo(visit: SiteVisit | None, user) -> bool:
    return (
        user is not None
        and visit is not None
        and visit.status in (VisitStatus.CONFIRMED, VisitStatus.REPORTED)
        and visit.members.filter(officer=user).exists()
    )


@held_attempts_recorded
@transaction.atomic
def site_visit_photo_add(
    *,
    application,
    actor: Actor,
    uploaded,
    caption: str = "",
    browser: BrowserFix | None = None,
) -> SiteVisitPhoto:
    """An officer of the team adds a photo; its place and time are read and compared."""
    app, visit = visit_locked_agreed(application, actor, PHOTO)
    if not may_add_photo(visit, actor.user):
        raise ActionRefused(_("Hanya anggota tim peninjauan yang menambahkan foto."))
    if visit.photos.count() >= PHOTOS_PER_VISIT:
        raise ActionRefused(
            _("Peninjauan ini sudah mempunyai %(n)d foto, batas yang diterima.")
            % {"n": PHOTOS_PER_VISIT}
        )
    try:
        kind, digest = _image_checked(uploaded)
    except UploadRejected as rejected:
        raise ActionRefused(rejected.message) from rejected
    now = timezone.now()
    facts, browser = photo_facts(uploaded), browser or BrowserFix()
    photo = SiteVisitPhoto(
        visit=visit,
        sha256=digest,
        content_type=CONTENT_TYPES[kind],
        caption=caption.strip()[:200],
        uploaded_by=actor.user,
        uploaded_at=now,
    )
    if facts.taken_at is not None:
        photo.taken_at, photo.time_source = facts.taken_at, PhotoSource.EXIF
    elif browser.at is not None:
        photo.taken_at, photo.time_source = browser.at, PhotoSource.BROWSER
    else:
        photo.taken_at, photo.time_source = now, PhotoSource.UPLOAD
    if facts.lat is not None:
        photo.lat, photo.lon, photo.place_source = facts.lat, facts.lon, PhotoSource.EXIF
    elif browser.lat is not None and browser.lon is not None:
        photo.lat, photo.lon, photo.place_source = browser.lat, browser.lon, PhotoSource.BROWSER
        photo.accuracy_m = browser.accuracy_m
    _compare(photo, visit)
    photo.image.save(f"site-visits/photos/{photo.public_id.hex}.{kind}", uploaded, save=False)
    photo._history_user = actor.user
    photo.save()
    file_event(
        application=app,
        action=SITE_VISIT_PHOTO_ADDED,
        actor=actor,
        note=photo.caption,
        data={
            "visit": visit.pk,
            "photo": str(photo.public_id),
            "sha256": digest,
            "taken_at": photo.taken_at.isoformat(),
            "time_source": photo.time_source,
            "place_source": photo.place_source,
            "distance_m": round(photo.distance_m) if photo.distance_m is not None else None,
            "place_mismatch": photo.place_mismatch,
            "time_mismatch": photo.time_mismatch,
        },
        at=now,
    )
    return photo


def _compare(photo: SiteVisitPhoto, visit: SiteVisit) -> None:
    if photo.lat is not None and visit.site_lat is not None:
        photo.distance_m = distance_m(photo.lat, photo.lon, visit.site_lat, visit.site_lon)
        allowed = PLACE_TOLERANCE_M + min(photo.accuracy_m or 0.0, ACCURACY_ALLOWED_M)
        photo.place_mismatch = photo.distance_m > allowed
    appointment = visit.appointment_at
    photo.time_mismatch = not (appointment - EARLY <= photo.taken_at <= appointment + LATE)


def browser_fix(data) -> BrowserFix:
    """The position and clock the photo form's script put in ``data`` (a POST); values out
    of range or unreadable are ignored (the photo is kept, its place then unknown)."""

    def number(name, low, high):
        try:
            value = float(data.get(name, ""))
        except (TypeError, ValueError):
            return None
        return value if math.isfinite(value) and low <= value <= high else None

    lat, lon = number("lat", -90, 90), number("lon", -180, 180)
    at = None
    stamp = data.get("fix_at", "")
    if stamp:
        try:
            at = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            at = None
        if at is not None and timezone.is_naive(at):
            at = None
    return BrowserFix(
        lat=lat if lon is not None else None,
        lon=lon if lat is not None else None,
        accuracy_m=number("accuracy", 0, 100_000),
        at=at,
    )
