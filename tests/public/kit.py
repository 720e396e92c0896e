"""Shared by the public-side tests: survey answers at a chosen moment."""

from __future__ import annotations

import datetime
import zoneinfo

from public.models import SurveyResponse
from public.models.survey import ELEMENT_FIELDS, INTEGRITY_FIELDS

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def answer(app, scores, *, at, unit=None, permit_type=None, yes=(), comment=""):
    permit_type = permit_type or app.permit_type
    return SurveyResponse.objects.create(
        application=app,
        unit=unit or permit_type.opd,
        permit_type=permit_type,
        answered_at=at,
        comment=comment,
        **dict(zip(ELEMENT_FIELDS, scores, strict=True)),
        **{name: name in yes for name in INTEGRITY_FIELDS},
    )


def at(day, hour=10):
    return datetime.datetime(2026, 3, day, hour, tzinfo=WIB)
