"""manage.py lms_copy_plan PLAN_ID [--year Y]."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lms.models import TrainingPlan
from tests.factories import make_item, make_plan


@pytest.mark.django_db
def test_the_command_copies_a_plan_and_refuses_a_clash():
    plan = make_plan(2026)
    make_item(plan, "全员", everyone=True, due_date=date(2026, 12, 31))
    out = StringIO()
    call_command("lms_copy_plan", str(plan.pk), "--year", "2028", stdout=out)
    copy = TrainingPlan.objects.get(year=2028)
    assert out.getvalue().strip() == (
        f"已创建2028年度草稿计划“2028年度消保与服务培训计划”（ID {copy.pk}），含 1 个计划项目。"
    )
    assert copy.status == TrainingPlan.DRAFT
    assert copy.items.get().due_date == date(2028, 12, 31)
    with pytest.raises(CommandError, match="年度已有计划"):
        call_command("lms_copy_plan", str(plan.pk), "--year", "2028")
    with pytest.raises(CommandError, match="不存在 ID 为 999999 的培训计划"):
        call_command("lms_copy_plan", "999999")
    call_command("lms_copy_plan", str(plan.pk), stdout=StringIO())  # the next year by default
    assert sorted(TrainingPlan.objects.values_list("year", flat=True)) == [2026, 2027, 2028]
