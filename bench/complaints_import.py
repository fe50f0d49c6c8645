"""Complaint register import benchmark: a 50,000-complaint register (.xlsx and GB18030 .csv)
over 300 units, timed end to end (reading, checking, resolving codes, units and staff, masking,
planning, writing). Target: ≤ 60 s for the import of the .xlsx.

Run on demand on the bank-scale data set (``python manage.py lms_bench_data``: 300 units,
20,000 staff), PostgreSQL in practice:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cplms_bench python bench/complaints_import.py

Everything — the migrations the data set may not have yet (the complaint tables), the imports —
runs in one transaction that is rolled back at the end: the data set is left as it was. Without
``DATABASE_URL`` it builds a small stand-in (300 units, 3,000 staff) in a temporary SQLite file.
``BENCH_ROWS`` sets the register's size (default 50000).

Runs, in order: the dry run of the .xlsx; its import (all new); the same .xlsx again (all
unchanged); the .csv in GB18030 with one complaint in ten changed (closed since, another
reason) and 1,000 new ones in place of the first 1,000. Prints seconds, complaints/s, queries
and the report's counts. The machine's other work shows in the seconds: compare the CPU
seconds (this process) with the wall-clock ones.
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from lms.models import OrgUnit, StaffProfile  # noqa: E402
from lms.services.complaints.register_import import COLUMNS, import_complaints  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "50000"))
HEADER = [zh for _key, zh in COLUMNS]
# How a complaint system writes the three dimensions: codes, names, both, paths (weighted).
CHANNELS = [("营业现场", 50), ("A.1.3.3", 15), ("电子渠道/网上银行", 8), ("电话银行", 8),
            ("自助机具", 8), ("第三方渠道", 4), ("前台业务渠道/其他", 2),
            ("中、后台业务渠道", 5)]  # fmt: skip
BUSINESS = [("银行卡/借记卡使用", 20), ("B.1", 12), ("贷款", 15), ("支付结算/账户管理", 10),
            ("B.4.4 电子支付", 8), ("自营理财", 10), ("银行代理业务", 8), ("个人金融信息", 5),
            ("债务催收", 4), ("B.14", 8)]  # fmt: skip
REASONS = [("C.1", 25), ("服务设施、设备、业务系统", 10), ("C.3 管理制度、业务规则与流程", 15),
           ("营销方式和手段", 10), ("信息披露", 12), ("自主选择权", 3), ("定价收费", 12),
           ("C.9", 4), ("消费者资金安全", 5), ("消费者信息安全", 3), ("C.12", 1)]  # fmt: skip
SUMMARIES = [
    "客户反映办理{b}业务时等候时间过长，工作人员解释不清。",
    "客户称购买产品时未被充分告知风险，要求退还手续费{n}元。",
    "客户对{b}收费标准有异议，认为未提前公示。",
    "客户反映手机银行转账失败但账户已扣款{n}元，要求尽快退回。",
    "客户投诉营销人员多次来电推销，影响正常生活。",
    "客户称其借记卡在异地被盗刷{n}元，质疑账户安全。",
]
PERSONAL = [
    "客户（手机{phone}）要求回电。",
    "客户身份证{id}，卡号{card}。",
    "联系电话：{phone_grouped}",
]


def weighted(rng, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def ensure_schema():
    """Apply the migrations the data set lacks (the complaint tables): inside the transaction on
    PostgreSQL (its DDL is transactional, so they are rolled back too); SQLite, a temporary
    file, cannot migrate inside one."""
    call_command("migrate", verbosity=0, interactive=False)


def stand_in():
    """300 units and 3,000 staff when the database has no bank-scale data set."""
    if OrgUnit.objects.count() >= 300:
        return
    root = OrgUnit.add_root(code="GS", name="甘肃分行", kind=OrgUnit.BRANCH)
    subs = [
        OrgUnit.objects.get(pk=root.pk).add_child(
            code=f"GS{n:02d}", name=f"第{n}支行", kind=OrgUnit.SUB_BRANCH
        )
        for n in range(1, 15)
    ]
    for n in range(285):
        sub = OrgUnit.objects.get(pk=subs[n % 14].pk)
        sub.add_child(code=f"{sub.code}{n:03d}", name=f"{sub.name}{n}号网点")
    outlets = list(OrgUnit.objects.filter(depth=3))
    user_model = get_user_model()
    unusable = "!"  # no password can match it
    user_model.objects.bulk_create(
        user_model(username=f"8{n:05d}", password=unusable) for n in range(3000)
    )
    StaffProfile.objects.bulk_create(
        StaffProfile(
            user=user, employee_no=user.username, name="员工", org_unit=outlets[n % len(outlets)]
        )
        for n, user in enumerate(user_model.objects.filter(username__startswith="8"))
    )


def register_rows(count, rng, start=0):
    """``count`` invented complaints over the outlets, staff of their outlet named."""
    staff = {}
    for unit_id, number in StaffProfile.objects.values_list("org_unit_id", "employee_no"):
        staff.setdefault(unit_id, []).append(number)
    units = list(OrgUnit.objects.filter(pk__in=staff).order_by("path"))[:300]
    names = [unit.name for unit in units]
    rows = []
    for n in range(start, start + count):
        unit = units[n % len(units)]
        received = date(2026, 1, 1) + timedelta(days=rng.randrange(330))
        people = rng.sample(staff[unit.pk], min(rng.choice([0, 1, 1, 2]), len(staff[unit.pk])))
        summary = rng.choice(SUMMARIES).format(b="借记卡", n=rng.randrange(10, 5000))
        if rng.random() < 0.1:  # one complaint in ten carries personal numbers
            summary += rng.choice(PERSONAL).format(
                phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                phone_grouped=f"13{rng.randrange(10)} {rng.randrange(10**4):04d} "
                f"{rng.randrange(10**4):04d}",
                id=f"62010219{rng.randrange(60, 99)}0101{rng.randrange(10**4):04d}",
                card=f"6222 02{rng.randrange(10**2):02d} {rng.randrange(10**4):04d} "
                f"{rng.randrange(10**4):04d} {rng.randrange(10**3):03d}",
            )
        closed = received + timedelta(days=rng.randrange(1, 20))
        rows.append(
            [
                f"TS{received:%Y%m}{n:07d}",
                received,
                weighted(rng, CHANNELS),
                weighted(rng, BUSINESS),
                weighted(rng, REASONS),
                # The code mostly; the name now and then, where no other unit has it.
                unit.name if n % 3 == 0 and names.count(unit.name) == 1 else unit.code,
                "、".join(people),
                summary,
                closed if rng.random() < 0.8 and closed < date(2026, 12, 1) else None,
                rng.choice(["有责", "无责", "是", "否", ""]),
            ]
        )
    return rows


def xlsx_bytes(rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("投诉登记")
    sheet.append(HEADER)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for values in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v
                         for v in values])  # fmt: skip
    return buffer.getvalue().encode("gb18030")


def timed_import(label, data, filename, dry_run=False):
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    started, cpu = time.perf_counter(), time.process_time()
    # The reader's time guard (60 s) is for requests; a loaded machine may take longer here.
    with connection.execute_wrapper(count), override_settings(LMS_IMPORT_MAX_SECONDS=900):
        report = import_complaints(data, filename, dry_run=dry_run)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.ok, report.errors[:5]
    print(
        f"  {label}: {seconds:.1f} s (CPU here {cpu:.1f} s), "
        f"{report.rows / seconds:,.0f} complaints/s, "
        f"{len(queries)} queries — new {report.created}, updated {report.updated}, "
        f"unchanged {report.unchanged}, {report.masked} numbers masked in "
        f"{report.masked_summaries} summaries",
        flush=True,
    )
    return report


class Rollback(Exception):
    pass


def main():
    rng = random.Random(20261206)
    print(f"Database: {connection.vendor}, {ROWS:,} complaints", flush=True)
    if connection.vendor == "sqlite":
        ensure_schema()
    try:
        with transaction.atomic():
            if connection.vendor != "sqlite":
                ensure_schema()
            stand_in()
            print(
                f"  {OrgUnit.objects.count()} units, {StaffProfile.objects.count():,} staff",
                flush=True,
            )
            rows = register_rows(ROWS, rng)
            started = time.perf_counter()
            workbook = xlsx_bytes(rows)
            print(
                f"  the .xlsx: {len(workbook) / 1e6:.1f} MB, written in "
                f"{time.perf_counter() - started:.1f} s (not counted)",
                flush=True,
            )
            timed_import("dry run (.xlsx)", workbook, "register.xlsx", dry_run=True)
            timed_import("import (.xlsx, all new)", workbook, "register.xlsx")
            timed_import("again (.xlsx, all unchanged)", workbook, "register.xlsx")
            for values in rows[::10]:
                values[4], values[8] = "C.7", date(2026, 12, 1)
            changed = csv_bytes(rows[1000:] + register_rows(1000, rng, start=ROWS))
            print(f"  the .csv (GB18030): {len(changed) / 1e6:.1f} MB", flush=True)
            timed_import("import (.csv, 1 in 10 changed, 1,000 new)", changed, "register.csv")
            raise Rollback
    except Rollback:
        print("  rolled back: the database is as it was", flush=True)


if __name__ == "__main__":
    main()
