"""The frozen versions of each type's application form (``FormVersion``).

A type's fields change in the admin or through the catalogue file; publishing freezes them
as the next version when they differ from the last one. A new file takes the type's latest
version and keeps it for good.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from permits.details.spec import spec_errors
from permits.models import FormVersion, PermitField, PermitType
from trail.seals import seal_bulk


@transaction.atomic
def form_versions_publish(*, permit_types: list[PermitType]) -> list[FormVersion]:
    """Freeze each type's active fields as its next version where they changed; returns the
    versions made. A type whose fields are wrong is refused, with the others."""
    if not permit_types:
        return []
    pks = [t.pk for t in permit_types]
    # The types' rows locked: two editors publishing at once make versions one after the other.
    list(PermitType.objects.select_for_update().filter(pk__in=pks).order_by("pk").values("pk"))
    specs: dict[int, list[dict]] = {pk: [] for pk in pks}
    for field in PermitField.objects.filter(permit_type__in=pks, active=True).order_by(
        "permit_type", "position", "pk"
    ):
        specs[field.permit_type_id].append(field.as_spec())
    latest: dict[int, FormVersion] = {}
    for version in FormVersion.objects.filter(permit_type__in=pks).order_by(
        "permit_type", "number"
    ):
        latest[version.permit_type_id] = version
    new, errors = [], []
    for permit_type in permit_types:
        spec, last = specs[permit_type.pk], latest.get(permit_type.pk)
        if last is not None and last.spec == spec:
            continue
        errors += [f"{permit_type.code}: {e}" for e in spec_errors(spec)]
        number = last.number + 1 if last else 1
        new.append(FormVersion(permit_type=permit_type, number=number, spec=spec))
    if errors:
        raise ValidationError(errors)
    made = FormVersion.objects.bulk_create(new)
    seal_bulk(made)
    return made


def form_version_current(permit_type: PermitType) -> FormVersion:
    """The version a new file of ``permit_type`` is made with (published first if the type
    has none yet)."""
    latest = permit_type.form_versions.order_by("-number").first()
    if latest is None:
        form_versions_publish(permit_types=[permit_type])
        latest = permit_type.form_versions.order_by("-number").first()
    return latest
