"""The quiz deadline rush: N learners (default 200) answer every question of the same planned
final check and submit it at once, through the API of a live gunicorn (3 workers, production
settings) on PostgreSQL. Prints p50/p95/max per endpoint, errors, queries per passing submit,
lock-wait samples (pg_stat_activity, every 20 ms during the run), records per attempt, the
record chain's verification and the machine's load average.

Run on demand: `python bench/quiz_deadline.py` (drops and recreates the database of
BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/cplms_quizbench; DATABASE_URL is
never read, so a site's own database is never dropped). BENCH_LEARNERS,
BENCH_QUESTIONS (default 10) and BENCH_WORKERS (default 3) change the shape.
"""

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cplms_quizbench"
)
os.environ.update(
    DATABASE_URL=DATABASE_URL,
    DJANGO_SETTINGS_MODULE="config.settings.production",
    SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
    LMS_RECORD_CHAIN_KEY=secrets.token_urlsafe(32),
    ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    SECURE_SSL_REDIRECT="0",
    TASKS_BACKEND="immediate",
)
LEARNERS = int(os.environ.get("BENCH_LEARNERS", "200"))
QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "10"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
PORT = int(os.environ.get("BENCH_PORT", "8731"))
BASE = f"http://127.0.0.1:{PORT}"

import psycopg  # noqa: E402
import requests  # noqa: E402


def recreate_database():
    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from courses.models import QuizStepPage  # noqa: E402
from lms.models import Assignment, CompletionRecord  # noqa: E402
from lms.services import publish_plan, verify_chain  # noqa: E402
from quizzes.models import Attempt, Choice  # noqa: E402
from tests.factories import (  # noqa: E402
    UserFactory,
    finish_lesson,
    lessons_of,
    make_catalog,
    make_category,
    make_course,
    make_item,
    make_org,
    make_plan,
    make_question,
    make_quiz,
    make_staff,
)


def build():
    """A course of two lessons and a final check of QUESTIONS questions, both assigned to
    everybody by a published plan; LEARNERS + 1 staff who finished the lessons."""
    call_command("migrate", verbosity=0)
    unit = make_org()["LZ0101"]
    category = make_category()
    quiz = make_quiz(
        [make_question(category, "single") for _ in range(QUESTIONS)],
        title="结业测验",
        pass_mark=60,
        max_attempts=0,
    )
    course = make_course(make_catalog(), title="投诉处理", slug="rush", lessons=2)
    step = QuizStepPage(title="结业测验", slug="final", quiz=quiz)
    course.add_child(instance=step)
    step.save_revision().publish()
    plan = make_plan(year=2026)
    make_item(plan, "课程", course=course, everyone=True)
    make_item(plan, "测验", quiz=quiz, everyone=True)
    learners = []
    for number in range(LEARNERS + 1):
        user = UserFactory(username=f"9{number:05d}")
        make_staff(f"9{number:05d}", unit, user=user, name=f"学员{number}")
        for lesson in lessons_of(course):
            finish_lesson(user, lesson)
        learners.append(user)
    publish_plan(plan)
    return quiz, learners


def session_of(user):
    """A logged-in requests session (cookie set by hand: production cookies are Secure)."""
    client = Client()
    client.force_login(user)
    token = secrets.token_hex(16)
    session = requests.Session()
    session.headers.update(
        {
            "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}",
            "X-CSRFToken": token,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1:{PORT}/",
            "Host": f"127.0.0.1:{PORT}",
        }
    )
    return session


def start_server():
    path = Path(tempfile.mkdtemp()) / "server.log"
    log = path.open("w")
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            f"--bind=127.0.0.1:{PORT}",
            f"--workers={WORKERS}",
            "--timeout=120",
        ],
        cwd=ROOT,
        env={**os.environ, "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{PORT}"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            requests.get(BASE + "/api/v1/openapi.json", timeout=5)
            return server
        except requests.RequestException:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"gunicorn did not answer; see {path}")


class LockSampler(threading.Thread):
    """Counts backends of this database waiting on a lock, every 20 ms."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples, self.waiting = 0, Counter()
        self.relations, self.blockers = Counter(), Counter()
        self.loads = []
        self.stop = threading.Event()

    def run(self):
        name = urlsplit(DATABASE_URL).path.lstrip("/")
        with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
            while not self.stop.is_set():
                # What each waiting backend waits on, and the statement of the one it waits
                # for (a row lock shows as "transactionid": the blocker's statement says which).
                rows = conn.execute(
                    "SELECT coalesce(c.relname, l.locktype), "
                    "left(regexp_replace(b.query, '\\s+', ' ', 'g'), 60) "
                    "FROM pg_stat_activity a "
                    "JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted "
                    "LEFT JOIN pg_class c ON c.oid = l.relation "
                    "LEFT JOIN pg_stat_activity b ON b.pid = (pg_blocking_pids(a.pid))[1] "
                    "WHERE a.datname = %s AND a.wait_event_type = 'Lock'",
                    [name],
                ).fetchall()
                self.samples += 1
                self.waiting[len(rows)] += 1
                self.relations.update(relation for relation, _blocker in rows)
                self.blockers.update(blocker for _relation, blocker in rows)
                if self.samples % 50 == 0:
                    self.loads.append(os.getloadavg()[0])
                time.sleep(0.02)


def learner_run(session, quiz_id, correct, barrier, timings, errors, lock):
    def call(kind, method, url, **kwargs):
        began = time.perf_counter()
        try:
            response = session.request(method, BASE + url, timeout=120, **kwargs)
            ok = response.status_code in (200, 201)
        except requests.RequestException as error:
            response, ok = error, False
        with lock:
            timings[kind].append(time.perf_counter() - began)
            if not ok:
                errors.append((kind, getattr(response, "status_code", response)))
        return response if ok else None

    barrier.wait()
    started = call("start", "post", f"/api/v1/quizzes/{quiz_id}/attempts")
    if started is None:
        return
    data = started.json()
    for question in data["questions"]:
        call(
            "answer",
            "put",
            f"/api/v1/attempts/{data['id']}/answers/{question['id']}",
            json={"choices": [correct[question["id"]]]},
        )
    call("submit", "post", f"/api/v1/attempts/{data['id']}/submit")


def correct_choices():
    """Each question's correct choice: every learner passes."""
    return dict(Choice.objects.filter(is_correct=True).values_list("question_id", "pk"))


def submit_queries(quiz, user, correct):
    """Queries of one passing submit, in process (same settings and database)."""
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    started = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts", secure=True).json()
    for question in started["questions"]:
        client.put(
            f"/api/v1/attempts/{started['id']}/answers/{question['id']}",
            {"choices": [correct[question["id"]]]},
            content_type="application/json",
            secure=True,
        )
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.post(f"/api/v1/attempts/{started['id']}/submit", secure=True)
        alone = time.perf_counter() - began
    assert response.json()["passed"], response.content
    return len(queries), alone


def answer_alone(quiz, user, correct, rounds=20):
    """Median time of one answer by a learner alone (in process): the request's own cost."""
    client = Client()
    client.force_login(user)
    started = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts", secure=True).json()
    question = started["questions"][0]
    times = []
    for _round in range(rounds):
        began = time.perf_counter()
        client.put(
            f"/api/v1/attempts/{started['id']}/answers/{question['id']}",
            {"choices": [correct[question["id"]]]},
            content_type="application/json",
            secure=True,
        )
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    if not DATABASE_URL.startswith("postgres"):
        sys.exit("BENCH_DATABASE_URL must be a PostgreSQL database (it is dropped and recreated).")
    recreate_database()
    quiz, learners = build()
    correct = correct_choices()
    sessions = [session_of(user) for user in learners[:LEARNERS]]
    server = start_server()
    sampler = LockSampler()
    timings = {"start": [], "answer": [], "submit": []}
    errors, lock = [], threading.Lock()
    barrier = threading.Barrier(LEARNERS)
    load_before = os.getloadavg()
    threads = [
        threading.Thread(
            target=learner_run, args=(session, quiz.pk, correct, barrier, timings, errors, lock)
        )
        for session in sessions
    ]
    try:
        sampler.start()
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        sampler.stop.set()
        server.terminate()
        server.wait()
    sampler.join()
    report(quiz, learners, correct, timings, errors, sampler, elapsed, load_before)


def report(quiz, learners, correct, timings, errors, sampler, elapsed, load_before):
    print(f"{LEARNERS} learners x ({QUESTIONS} answers + start + submit), {WORKERS} workers, ")
    print(f"{connection.vendor}, wall {elapsed:.1f} s")
    print(f"{'request':<8} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in timings.items():
        if values:
            print(
                f"{kind:<8} {len(values):>6} {statistics.median(values) * 1000:>8.0f} "
                f"{percentile(values, 0.95) * 1000:>8.0f} {max(values) * 1000:>8.0f}"
            )
    print(f"errors: {len(errors)} {Counter(errors).most_common(5)}")
    waited = sum(count for waiting, count in sampler.waiting.items() if waiting)
    print(
        f"lock-wait samples: {waited} of {sampler.samples} samples had a backend waiting on a "
        f"lock; max waiting at once {max(sampler.waiting)}; waited on {dict(sampler.relations)}"
    )
    for blocker, count in sampler.blockers.most_common(5):
        print(f"  {count:>5} samples waiting for a backend running: {blocker}")
    attempts = Attempt.objects.filter(quiz=quiz)
    final = attempts.filter(status=Attempt.FINAL, passed=True).count()
    per_attempt = Counter(
        CompletionRecord.objects.filter(attempt__quiz=quiz).values_list("attempt_id", flat=True)
    )
    print(
        f"attempts {attempts.count()}, passed {final}; quiz records per attempt "
        f"{dict(Counter(per_attempt.values()))}; course records "
        f"{CompletionRecord.objects.filter(kind=CompletionRecord.COURSE).count()}; open "
        f"assignments left {Assignment.objects.filter(status=Assignment.OPEN).count()}"
    )
    alone = answer_alone(quiz, learners[-1], correct)
    queries, submit_alone = submit_queries(quiz, learners[-1], correct)
    print(f"queries per passing submit (in process): {queries}")
    # Little's law: every learner waits for the work queued before theirs.
    answers, submits = len(timings["answer"]), len(timings["submit"])
    work = answers * alone + submits * submit_alone
    print(
        f"one learner alone (in process): answer {alone * 1000:.0f} ms, submit "
        f"{submit_alone * 1000:.0f} ms; the run's work {work:.0f} s / {os.cpu_count()} cores "
        f"= {work / os.cpu_count():.0f} s at best; p95 <= 300 ms with {LEARNERS} learners at "
        f"once needs an answer to cost <= {300 * os.cpu_count() / LEARNERS:.1f} ms of CPU"
    )
    result = verify_chain()
    print(
        f"verify_chain: ok={result.ok}, {result.checked} records checked, problems {result.counts}"
    )
    print(
        f"load average before {load_before[0]:.2f}, during max "
        f"{max(sampler.loads, default=0):.2f}, after {os.getloadavg()[0]:.2f} "
        f"({os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
