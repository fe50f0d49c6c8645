"""Roster import benchmark: a 20,000-person roster (.xlsx and GB18030 .csv) over a generated
300-unit tree, timed end to end (reading, checking, planning, writing, assignment sync).

Run on demand: `python bench/roster.py` (SQLite in a temp file), or on PostgreSQL with
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/cplms_roster_bench python bench/roster.py`
(create a fresh, empty database first: `createdb -h 127.0.0.1 -U postgres cplms_roster_bench`).
BENCH_ROWS sets the roster size (default 20000); BENCH_SYNC_SAMPLE the number of people timed
through the one-person `sync_staff` for comparison (default 300).

Runs, in order: dry run of the new roster; the import (all new, no published plan); the same
file again (all unchanged), as .xlsx and as .csv; publishing a plan; a monthly file (the whole
roster with 2,000 transfers, 500 new positions, 500 leavers and 1,000 new hires) with the plan
published; 20,000 more new hires with the plan published (the worst case); and the per-person
`sync_staff` against the bulk `sync_many` on the same number of transfers; and last, the admin
upload of the first file as a queued task: the request (store the file, queue the run) and the
worker's run (`lms.services.roster.runs.run_import`).
"""

import csv
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from lms.models import Assignment, OrgUnit, PlanItem, Position, StaffProfile  # noqa: E402
from lms.services import publish_plan, sync_staff  # noqa: E402
from lms.services.plans import sync_many  # noqa: E402
from lms.services.roster import import_roster  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "20000"))
SYNC_SAMPLE = int(os.environ.get("BENCH_SYNC_SAMPLE", "300"))
HEADER = ["工号", "姓名", "机构", "岗位", "入职日期", "状态"]
SUB_BRANCHES = ["城关", "七里河", "西固", "安宁", "红古", "榆中", "皋兰", "永登", "天水", "白银",
                "定西", "平凉", "庆阳", "武威"]  # fmt: skip
STREETS = ["东岗", "西站", "南关", "北滨河", "东方红", "雁滩", "火车站", "五泉", "小西湖",
           "民主", "庆阳路", "张掖路", "中山", "黄河", "建兰", "金城", "秦安", "广场", "科技",
           "新区"]  # fmt: skip
POSITIONS = [("柜员", 40), ("综合柜员", 15), ("大堂经理", 10), ("客户经理", 15), ("理财经理", 8),
             ("网点负责人", 5), ("运营主管", 5), ("个贷专员", 2)]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯晨欣怡婷雪梅琳"


def build_units(total=300):
    """甘肃分行 → 14 支行 → outlets: ``total`` units. Each 支行 has a 营业部 (a name shared by 14
    units, so the file must use its code) and named outlets (unique names)."""
    root = OrgUnit.add_root(code="GS", name="甘肃分行", kind=OrgUnit.BRANCH)
    subs = []
    for number, name in enumerate(SUB_BRANCHES, start=1):
        parent = OrgUnit.objects.get(pk=root.pk)
        subs.append(
            parent.add_child(code=f"GS{number:02d}", name=f"{name}支行", kind=OrgUnit.SUB_BRANCH)
        )
    outlets = []
    count = 1 + len(subs)
    index = 0
    while count < total:
        sub = subs[index % len(subs)]
        serial = index // len(subs) + 1
        parent = OrgUnit.objects.get(pk=sub.pk)
        if serial == 1:
            name = "营业部"
        else:
            street = STREETS[(serial - 2) % len(STREETS)]
            name = f"{SUB_BRANCHES[index % len(subs)]}{street}网点"
        outlets.append(parent.add_child(code=f"{sub.code}{serial:02d}", name=name))
        count += 1
        index += 1
    return subs, outlets


def person(number, outlets, rng):
    unit = rng.choice(outlets)
    # Four in five rows give the unit's code, the rest its name (when the name is unique).
    reference = unit.name if rng.random() < 0.2 and unit.name != "营业部" else unit.code
    position = rng.choices([p for p, _w in POSITIONS], weights=[w for _p, w in POSITIONS])[0]
    hired = date(1995, 1, 1) + timedelta(days=rng.randrange(365 * 31))
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return [f"{number:06d}", name, reference, position, hired, "在职"]


def xlsx_bytes(rows):
    """As Excel saves an HR export: half the employee numbers are numbers shown with format
    000000, the other half text; hire dates are date cells. (A normal workbook, not openpyxl's
    write-only one: that leaves out the sheet size, which costs readers a second pass.)"""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append(HEADER)
    for index, row in enumerate(rows, start=2):
        sheet.append([int(row[0]) if index % 2 else row[0], *row[1:]])
        sheet.cell(row=index, column=1).number_format = "000000" if index % 2 else "@"
        sheet.cell(row=index, column=5).number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows):
    """GB18030, as Excel saves CSV in a Chinese locale; dates written three ways."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for index, row in enumerate(rows):
        hired = row[4]
        text = (
            hired.isoformat(),
            f"{hired.year}/{hired.month}/{hired.day}",
            hired.strftime("%Y%m%d"),
        )[index % 3]
        writer.writerow([*row[:4], text, row[5]])
    return buffer.getvalue().encode("gb18030")


def timed(label, function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"  {label:<58} {seconds:7.2f} s")
    return result, seconds


def check(report, **expected):
    assert report.ok, report.errors[:5]
    for name, value in expected.items():
        assert getattr(report, name) == value, (name, getattr(report, name), value)


def main():
    call_command("migrate", verbosity=0)
    if StaffProfile.objects.exists():
        sys.exit("This database already has staff: give the benchmark a fresh one.")
    rng = random.Random(20260301)  # the same roster every run
    print(f"Roster import benchmark: {ROWS} people, {connection.vendor}")
    _subs, outlets = timed("build the 300-unit tree", build_units)[0]
    Position.objects.bulk_create([Position(name=name) for name, _w in POSITIONS])
    rows = [person(number, outlets, rng) for number in range(1, ROWS + 1)]
    xlsx, csv_data = xlsx_bytes(rows), csv_bytes(rows)
    print(f"  files: .xlsx {len(xlsx) / 1e6:.1f} MB, .csv {len(csv_data) / 1e6:.1f} MB")

    report = timed("dry run, all new (.xlsx)", import_roster, xlsx, "roster.xlsx", dry_run=True)[0]
    check(report, created=ROWS)
    report = timed("import, all new, no plan (.xlsx)", import_roster, xlsx, "roster.xlsx")[0]
    check(report, created=ROWS)
    report = timed("re-import, all unchanged (.xlsx)", import_roster, xlsx, "roster.xlsx")[0]
    check(report, unchanged=ROWS)
    report = timed("re-import, all unchanged (.csv GB18030)", import_roster, csv_data, "r.csv")[0]
    check(report, unchanged=ROWS)

    plan = _make_plan(outlets)
    timed("publish a plan (everyone, tellers, one 支行)", publish_plan, plan)
    print(f"  assignments after publishing: {Assignment.objects.count()}")

    # The monthly file: everyone, with transfers, new positions, leavers and new hires.
    monthly = [list(row) for row in rows]
    picks = rng.sample(range(ROWS), 3000)
    for index in picks[:2000]:
        monthly[index][2] = rng.choice(outlets).code
    for index in picks[2000:2500]:
        monthly[index][3] = "大堂经理" if monthly[index][3] != "大堂经理" else "柜员"
    for index in picks[2500:]:
        monthly[index][5] = "离职"
    monthly += [person(number, outlets, rng) for number in range(ROWS + 1, ROWS + 1001)]
    data = xlsx_bytes(monthly)
    report = timed("monthly file, dry run (.xlsx)", import_roster, data, "m.xlsx", dry_run=True)[0]
    check(report, created=1000, leaving=500)
    report = timed("monthly file, plan published (.xlsx)", import_roster, data, "m.xlsx")[0]
    check(report, created=1000, leaving=500)
    print(f"    changed {report.changed} (transfers {report.transfers}), synced {report.synced}")

    hires = [person(number, outlets, rng) for number in range(500001, 500001 + ROWS)]
    data = xlsx_bytes(hires)
    report = timed(f"{ROWS} new hires, plan published (.xlsx)", import_roster, data, "n.xlsx")[0]
    check(report, created=ROWS)
    print(f"    synced {report.synced}")

    _compare_sync(outlets, rng)
    _admin_upload(xlsx)


def _admin_upload(data):
    """The admin page with a task queue: what the uploader waits for, and what the worker does."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client, override_settings

    from lms.models import RosterImport
    from lms.services.roster.runs import run_import

    admin = get_user_model().objects.create_superuser("bench-admin", password=None)
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    client.get("/admin/roster-import/")  # warm up the admin
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        upload = SimpleUploadedFile("roster.xlsx", data)
        response, seconds = timed(
            "admin upload, queued (the request)",
            client.post,
            "/admin/roster-import/",
            {"file": upload},
        )
        assert response.status_code == 302, response.status_code
        print(f"    {seconds * 1000:.0f} ms for {len(data) / 1e6:.1f} MB")
    run = RosterImport.objects.latest("pk")
    result = timed("the queued run in the worker (run_import)", run_import, run.pk)[0]
    run.refresh_from_db()
    assert result["written"], run.details["errors"][:5]
    kept = len(str(run.outcome)), len(str(run.details))
    print(f"    changed {result['changed']}, kept on the run: counts {kept[0]} B, rows {kept[1]} B")


def _make_plan(outlets):
    from tests.factories import make_item, make_plan

    plan = make_plan(year=2026)
    make_item(plan, "全员消保培训", everyone=True)
    make_item(plan, "柜面服务规范", positions=[Position.objects.get(name="柜员")])
    make_item(plan, "城关支行专项", units=[OrgUnit.objects.get(code="GS01")])
    return plan


def _compare_sync(outlets, rng):
    """The same number of transfers through sync_staff one by one and through sync_many."""
    people = list(StaffProfile.objects.filter(is_active=True).order_by("?")[: SYNC_SAMPLE * 2])
    one_by_one, bulk = people[:SYNC_SAMPLE], people[SYNC_SAMPLE:]
    for group in (one_by_one, bulk):
        for staff in group:
            staff.org_unit = rng.choice(outlets)
        StaffProfile.objects.bulk_update(group, ["org_unit"], batch_size=500)
    assert PlanItem.objects.filter(plan__status="published").exists()

    def each():
        with transaction.atomic():
            for staff in one_by_one:
                sync_staff(staff)

    seconds = timed(f"sync_staff, one by one, {SYNC_SAMPLE} transfers", each)[1]
    timed(f"sync_many, {SYNC_SAMPLE} transfers", sync_many, [staff.pk for staff in bulk])
    print(
        f"    sync_staff: {seconds / SYNC_SAMPLE * 1000:.1f} ms a person, "
        f"so about {seconds / SYNC_SAMPLE * ROWS:.0f} s for {ROWS} people"
    )


if __name__ == "__main__":
    main()
