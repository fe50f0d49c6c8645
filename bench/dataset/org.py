"""The organisation, staff and plan of the benchmark data set."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from lms.models import OrgUnit, PlanItem, Position, StaffProfile, TrainingPlan
from lms.services.roles import OFFICERS

POSITIONS = ["柜员", "大堂经理", "理财经理", "客户经理", "网点负责人", "消保专员"]
PREFIX = "BENCH"
OFFICER_USERNAME = "bench_officer"
UNUSABLE_PASSWORD = "!"  # noqa: S105 - Django's marker for an unusable password


def build_org(units):
    """Branch → ``units // 15`` sub-branches (≈20 for 300) → the rest as outlets."""
    root = OrgUnit.add_root(code=PREFIX, name="基准分行", kind=OrgUnit.BRANCH)
    subs = [
        OrgUnit.objects.get(pk=root.pk).add_child(
            code=f"{PREFIX}-S{i:02d}", name=f"基准支行{i:02d}", kind=OrgUnit.SUB_BRANCH
        )
        for i in range(max(units // 15, 1))
    ]
    outlets = []
    for index in range(max(units - len(subs) - 1, 1)):
        parent = OrgUnit.objects.get(pk=subs[index % len(subs)].pk)
        outlets.append(parent.add_child(code=f"{PREFIX}-O{index:04d}", name=f"基准网点{index:04d}"))
    return root, subs, outlets


def build_staff(count, outlets, rng):
    positions = [Position.objects.get_or_create(name=name)[0] for name in POSITIONS]
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [
            user_model(username=f"b{n:06d}", password=UNUSABLE_PASSWORD, first_name=f"员工{n}")
            for n in range(count)
        ],
        batch_size=5000,
    )
    staff = StaffProfile.objects.bulk_create(
        [
            StaffProfile(
                user=user,
                employee_no=user.username,
                name=f"员工{n:05d}",
                org_unit=outlets[n % len(outlets)],
                position=positions[4] if n < len(outlets) else rng.choice(positions),
                hire_date=datetime.date(rng.choice([2012, 2016, 2019, 2022, 2024]), 3, 1),
            )
            for n, user in enumerate(users)
        ],
        batch_size=5000,
    )
    # The first person of each outlet is its head (网点负责人) and manages it.
    through = StaffProfile.managed_units.through
    through.objects.bulk_create(
        [
            through(staffprofile_id=staff[n].pk, orgunit_id=outlets[n].pk)
            for n in range(min(len(outlets), len(staff)))
        ]
    )
    officer = user_model.objects.create(username=OFFICER_USERNAME, password=UNUSABLE_PASSWORD)
    officers, _created = Group.objects.get_or_create(name=OFFICERS)
    officers.permissions.add(
        Permission.objects.get(codename="view_all_progress"),
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
    )
    officer.groups.add(officers)
    return staff


def build_plan(items, year):
    plan = TrainingPlan.objects.create(
        year=year,
        title=f"{year}年度消保与服务培训计划（基准）",
        status=TrainingPlan.PUBLISHED,
        published_at=timezone.now(),
        required_hours=6,
    )
    created = []
    for number in range(items):
        due = datetime.date(year, 1, 31) + datetime.timedelta(days=number * 330 // max(items, 1))
        created.append(
            PlanItem.objects.create(
                plan=plan,
                title=f"消保培训项目{number + 1:02d}",
                kind=PlanItem.OFFLINE,
                everyone=True,
                open_date=datetime.date(year, 1, 1),
                due_date=due,
                credit_hours=1,
                quarterly_targets=[25, 50, 75, 100],
                sort_order=number,
            )
        )
    return plan, created
