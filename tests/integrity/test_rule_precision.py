"""Auditors teach the rules (issue 17 point 7): each dismissal or finding keeps a verdict as
a label, and each rule's precision over the last 90 days, as the auditors judged it, shows
on the flag queue, in the monev report and on the rule settings page."""

from __future__ import annotations

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from integrity.inspection.selectors.monev import monev_data
from integrity.inspection.selectors.workspace import PRECISION_DAYS, rule_precision
from integrity.inspection.services.findings import flag_dismiss
from integrity.inspection.services.monev import monev_csv
from integrity.models import FlagVerdict
from tests.factories import act
from tests.integrity.kit import open_finding, raise_flag

pytestmark = [pytest.mark.django_db, pytest.mark.judged_once]  # see tests/conftest.py


def judge(office, *, confirmed: int, dismissed: int, rule="COMPLAINT", prefix="k"):
    """``confirmed`` flags of ``rule`` become one finding, ``dismissed`` are set aside."""
    flags = [raise_flag(f"{prefix}{i}", rule=rule) for i in range(confirmed + dismissed)]
    for flag in flags[confirmed:]:
        flag_dismiss(flag=flag, actor=act(office.auditor), reason="Bukan pungutan.")
    if confirmed:
        open_finding(office, flags=flags[:confirmed])
    return flags


def test_a_dismissal_and_a_finding_each_keep_a_verdict(office):
    flags = judge(office, confirmed=1, dismissed=1)
    confirmed, dismissed = (FlagVerdict.objects.get(flag=flag) for flag in flags)
    assert confirmed.confirmed is True and dismissed.confirmed is False
    assert confirmed.rule == dismissed.rule == "COMPLAINT"
    assert confirmed.judged_by == dismissed.judged_by == office.auditor
    with pytest.raises(RuntimeError):
        confirmed.save()


def test_precision_is_the_share_of_judged_flags_that_became_findings(office):
    judge(office, confirmed=3, dismissed=1)
    precision = rule_precision()["COMPLAINT"]
    assert (precision.confirmed, precision.judged, precision.value) == (3, 4, 0.75)
    assert precision.text == "75% (3 dari 4 bendera)"
    # Every registered rule has a line, judged or not.
    assert rule_precision()["FAST"].judged == 0
    assert rule_precision()["FAST"].text == "belum ada bendera yang ditelaah"


def test_only_the_last_90_days_count(office):
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(days=PRECISION_DAYS, minutes=1)):
        judge(office, confirmed=0, dismissed=2, prefix="old")
    with time_machine.travel(start - datetime.timedelta(days=PRECISION_DAYS - 1)):
        judge(office, confirmed=1, dismissed=0, prefix="new")
    precision = rule_precision(until=start)["COMPLAINT"]
    assert (precision.confirmed, precision.judged) == (1, 1)


def test_the_flag_queue_shows_each_rules_precision(client, office):
    judge(office, confirmed=1, dismissed=3)
    client.force_login(office.auditor)
    page = client.get("/kantor/audit/").content.decode()
    assert "Ketepatan aturan menurut telaah auditor (90 hari terakhir)" in page
    assert "25% (1 dari 4 bendera)" in page


def test_the_monev_report_carries_the_precision_to_the_months_end(office):
    judge(office, confirmed=2, dismissed=2)
    month = timezone.localdate().replace(day=1)
    data = monev_data(month)
    assert data.precision["COMPLAINT"].text == "50% (2 dari 4 bendera)"
    csv_text = monev_csv(data).decode("utf-8-sig")
    assert "precision_90d,COMPLAINT:confirmed,2" in csv_text
    assert "precision_90d,COMPLAINT:judged,4" in csv_text


def test_the_rule_settings_page_shows_the_precision_beside_the_parameters(client, office):
    from integrity.models import RuleSetting

    judge(office, confirmed=1, dismissed=1)
    setting = RuleSetting.objects.create(code="COMPLAINT")
    client.force_login(office.admin)
    page = client.get(f"/admin/integrity/rulesetting/{setting.pk}/change/").content.decode()
    assert "Ketepatan menurut telaah auditor (90 hari)" in page
    assert "50% (1 dari 2 bendera)" in page


def test_flags_closed_before_verdicts_were_kept_get_theirs_from_their_outcome(office):
    from integrity.models import Flag

    # Closed as before the migration: the outcome on the flag, no verdict kept.
    flags = [raise_flag("old-1"), raise_flag("old-2"), raise_flag("still-open")]
    closed = {"closed_by": office.auditor, "closed_at": timezone.now()}
    Flag.objects.filter(pk=flags[0].pk).update(state="finding", **closed)
    Flag.objects.filter(pk=flags[1].pk).update(state="dismissed", **closed)
    assert not FlagVerdict.objects.exists()
    migration = importlib.import_module("integrity.migrations.0006_flag_verdicts")
    migration.verdicts_from_closed_flags(apps, None)
    verdicts = {v.flag_id: v.confirmed for v in FlagVerdict.objects.all()}
    assert verdicts == {flags[0].pk: True, flags[1].pk: False}


def test_the_rule_settings_list_reads_the_precision_once_whatever_the_rules(
    client, office, django_assert_max_num_queries
):
    """One setting per rule: the list shows each rule's precision, read in one query."""
    from integrity.inspection.flags.registry import RULES
    from integrity.models import RuleSetting

    judge(office, confirmed=1, dismissed=1)
    for code in RULES:
        RuleSetting.objects.create(code=code)
    client.force_login(office.admin)
    client.get("/admin/integrity/rulesetting/")  # sessions and permissions warmed up
    with django_assert_max_num_queries(12):
        page = client.get("/admin/integrity/rulesetting/").content.decode()
    assert "50% (1 dari 2 bendera)" in page
    assert page.count("<tr") > len(RULES)
