"""Plan publishing benchmark: 20,000 staff in 300 units × 30 plan items → assignments.

Run on demand: `python bench/plan_fanout.py` (SQLite temp file) or with
DATABASE_URL=postgres://… (an empty database). BENCH_STAFF / BENCH_UNITS / BENCH_ITEMS resize it.
"""

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from lms.models import (  # noqa: E402
    Assignment,
    OrgUnit,
    PlanItem,
    Position,
    StaffProfile,
    TrainingPlan,  # noqa: E402
)
from lms.services import publish_plan  # noqa: E402

STAFF = int(os.environ.get("BENCH_STAFF", "20000"))
UNITS = int(os.environ.get("BENCH_UNITS", "300"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "30"))
# BENCH_EVERYONE=1: every item for everyone, the worst case (STAFF × ITEMS assignments).
EVERYONE = os.environ.get("BENCH_EVERYONE") == "1"
POSITIONS = ["柜员", "大堂经理", "理财经理", "客户经理", "网点负责人", "消保专员"]


def build():
    started = time.perf_counter()
    root = OrgUnit.add_root(code="B", name="分行", kind=OrgUnit.BRANCH)
    subs = [
        OrgUnit.objects.get(pk=root.pk).add_child(code=f"S{i:02d}", name=f"支行{i}")
        for i in range(max(UNITS // 20, 1))
    ]
    outlets = []
    for index in range(UNITS - len(subs) - 1):
        parent = OrgUnit.objects.get(pk=subs[index % len(subs)].pk)
        outlets.append(parent.add_child(code=f"O{index:04d}", name=f"网点{index}"))
    positions = [Position.objects.create(name=name) for name in POSITIONS]
    user_model = get_user_model()
    unusable = "!"  # an unusable password hash
    users = user_model.objects.bulk_create(
        [user_model(username=f"{n:06d}", password=unusable) for n in range(STAFF)],
        batch_size=2000,
    )
    StaffProfile.objects.bulk_create(
        [
            StaffProfile(
                user=user,
                employee_no=user.username,
                name=f"员工{n}",
                org_unit=outlets[n % len(outlets)],
                position=positions[n % len(positions)],
                hire_date=date(2020 if n % 10 else 2026, 1, 1),
            )
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )
    plan = TrainingPlan.objects.create(year=2026, title="基准计划")
    for number in range(ITEMS):
        item = PlanItem.objects.create(
            plan=plan,
            title=f"项目{number}",
            open_date=date(2026, 1, 1),
            due_date=date(2026, 12, 31),
            everyone=EVERYONE or number % 3 == 0,
            new_hires_only=not EVERYONE and number % 10 == 9,
        )
        if EVERYONE:
            continue
        if number % 3 == 1:
            item.positions.set(positions[: 1 + number % 5])
        if number % 3 == 2:
            item.org_units.set(subs[: 1 + number % 4])
    return plan, time.perf_counter() - started


def main():
    call_command("migrate", verbosity=0)
    plan, build_seconds = build()
    print(f"{connection.vendor}: built {STAFF} staff in {UNITS} units in {build_seconds:.1f} s")
    started = time.perf_counter()
    created = publish_plan(plan)
    seconds = time.perf_counter() - started
    print(f"publish_plan: {created} assignments for {ITEMS} items in {seconds:.1f} s")
    started = time.perf_counter()
    again = publish_plan(plan)
    seconds = time.perf_counter() - started
    print(f"re-publish (sync, nothing new): {again} created in {seconds:.1f} s")
    assert Assignment.objects.count() == created


if __name__ == "__main__":
    main()
