"""The stages a file passes, from its type: one definition for the product and the benches."""

import pytest

from permits.models.stages import EVENT_ACTIONS, FORWARD_TRANSITIONS, Stage, stage_path
from permits.services.applications import application_submit
from tests.factories import act, new_file, step, upload_mandatory

pytestmark = pytest.mark.django_db


def test_a_type_with_every_optional_stage_passes_them_in_order(office):
    assert stage_path(office.full_type) == [
        Stage.SUBMITTED,
        Stage.VERIFICATION,
        Stage.TECHNICAL_REVIEW,
        Stage.INSPECTION,
        Stage.AWAITING_PAYMENT,
        Stage.APPROVAL,
        Stage.SIGNING,
        Stage.ISSUED,
    ]


def test_a_type_without_optional_stages_goes_from_verification_to_approval(office):
    path = stage_path(office.simple_type)
    assert path == [
        Stage.SUBMITTED,
        Stage.VERIFICATION,
        Stage.APPROVAL,
        Stage.SIGNING,
        Stage.ISSUED,
    ]
    # Leaving verification is declaring the file complete, whatever stage comes next.
    assert EVENT_ACTIONS[FORWARD_TRANSITIONS[path[1]]] == "application.completed"


def test_the_path_is_what_the_file_walks(office):
    app = new_file(office, office.simple_type)
    walked = []
    upload_mandatory(office, app)
    app = application_submit(application=app, actor=act(office.applicant))
    while app.state != Stage.ISSUED:
        walked.append(app.state)
        app = step(office, app)
    assert [*walked, app.state] == stage_path(office.simple_type)
