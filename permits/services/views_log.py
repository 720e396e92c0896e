"""Every staff view of a file is recorded (who opened my file)."""

from django.db import transaction

from permits.models import Application, FileView
from permits.services.context import Actor


@transaction.atomic(savepoint=False)  # the view and its seal commit together, or neither
def file_view_record(*, application: Application, actor: Actor, kind=FileView.Kind.PAGE) -> None:
    user = actor.user
    if user is None or not getattr(user, "needs_second_factor", False):
        return  # applicants looking at their own file are not staff views
    FileView.objects.create(
        application=application,
        viewer=user,
        viewer_role=user.role,
        viewer_unit_id=user.unit_id,
        kind=kind,
        ip_address=actor.ip,
    )
