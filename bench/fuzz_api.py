"""API fuzzing: schemathesis against a live server, as a learner and as a manager.

Run on demand: `python bench/fuzz_api.py --requests 3000` (SQLite in a temp file;
`DATABASE_URL=postgres://…` for PostgreSQL, on an empty database). It builds the demo site
(without its simulated year), gives each demo account some state to fuzz (a course's lessons
read, a submitted final check with wrong answers, so a mistake book and a practice round, an
open attempt at that check and at the essay practice), starts gunicorn on a free port and runs
the schemathesis CLI (`--mode all`: valid and invalid data; phases coverage, fuzzing and
stateful) against `/api/v1/openapi.json` as `teller` (learner) and as `manager` (an outlet
head). Path, query and body ids come from the database's real objects three times in four
(schemathesis dictionaries), so requests reach the services, not only the 404s. Rounds of the
fuzzing phase repeat until `--requests` requests are made.

Prints the requests made (schemathesis' HAR reports; the server's access log as a check), the
counts per status class and role, the 5xx count, error bodies under /api/v1/ that are not JSON
`{"detail": …}`, and for each such request a curl line to reproduce it (the session cookie and
CSRF token as shell variables). Exits 1 on any 5xx or non-JSON error body.
"""

import argparse
import collections
import contextlib
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/fuzz.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from config.demo.loader import DEMO_PASSWORD, load_demo  # noqa: E402
from courses import services as course_services  # noqa: E402
from courses.models import CoursePage, LessonPage, QuizStepPage  # noqa: E402
from lms.models import OrgUnit, PlanItem, TrainingPlan  # noqa: E402
from quizzes import services as quiz_services  # noqa: E402
from quizzes.exceptions import QuizError  # noqa: E402
from quizzes.models import Attempt, PracticeRound, Question, Quiz  # noqa: E402

BIN = Path(sys.executable).parent
ROLES = {"learner": "teller", "manager": "manager"}
REAL_ID_PROBABILITY = 0.75
SCHEMA_PATH = "/api/v1/openapi.json"
PARAMETERS = {  # parameter → dictionary of real values
    "path.course_id": "course",
    "path.lesson_id": "lesson",
    "path.quiz_id": "quiz",
    "path.attempt_id": "attempt",
    "path.question_id": "question",
    "path.practice_id": "practice",
    "path.item_id": "item",
    "path.unit_id": "unit",
    "query.plan": "plan",
    "body.choices[*]": "choice",  # an answer
    "body.answers[*].question_id": "question",  # a practice round's answers
    "body.answers[*].choices[*]": "choice",
}


def _wrong_choices(question, entry):
    correct = {choice.pk for choice in question.choices.all() if choice.is_correct}
    wrong = [choice["id"] for choice in entry.get("choices", ()) if choice["id"] not in correct]
    return wrong[:1]


def seed(user):
    """Give ``user`` state to fuzz; return the ids of what they can reach."""
    course = CoursePage.objects.live().order_by("path").first()
    for lesson in LessonPage.objects.live().child_of(course):
        course_services.record_reading(user, lesson, lesson.minimum_reading_seconds())
        course_services.complete_lesson(user, lesson)
    step = QuizStepPage.objects.live().child_of(course).first()
    attempt, _created = quiz_services.start_attempt(user, step.quiz, confirmed=True)
    questions = Question.objects.in_bulk([entry["id"] for entry in attempt.questions])
    for entry in attempt.questions:
        question = questions[entry["id"]]
        quiz_services.save_answer(attempt, question.pk, _wrong_choices(question, entry))
    quiz_services.submit_attempt(attempt)
    quiz_services.start_attempt(user, step.quiz, confirmed=True)  # open, for the fuzzer
    essay = Quiz.objects.filter(title="案例简答练习").first()
    if essay is not None:
        quiz_services.start_attempt(user, essay, confirmed=True)
    with contextlib.suppress(QuizError):  # nothing to practise: no practice round to fuzz
        quiz_services.start_practice(user)
    attempts = Attempt.objects.filter(user=user)
    return {
        "course": list(CoursePage.objects.live().values_list("pk", flat=True)),
        "lesson": list(LessonPage.objects.live().values_list("pk", flat=True)[:20]),
        "quiz": list(Quiz.objects.values_list("pk", flat=True)),
        "attempt": list(attempts.values_list("pk", flat=True)),
        "question": sorted({entry["id"] for a in attempts for entry in a.questions}),
        "choice": sorted(
            {c["id"] for a in attempts for entry in a.questions for c in entry.get("choices", ())}
        ),
        "practice": list(PracticeRound.objects.filter(user=user).values_list("pk", flat=True)),
        "item": list(PlanItem.objects.values_list("pk", flat=True)[:20]),
        "unit": list(OrgUnit.objects.values_list("pk", flat=True)),
        "plan": list(TrainingPlan.objects.values_list("pk", flat=True)),
    }


def build():
    call_command("migrate", verbosity=0)
    load_demo(simulate=False)
    users = get_user_model().objects.in_bulk(ROLES.values(), field_name="username")
    return {role: seed(users[username]) for role, username in ROLES.items()}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port, workdir):
    access = workdir / "access.log"
    errors = (workdir / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            f"--access-logfile={access}",
            "--access-logformat=%(m)s %(U)s %(s)s",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=errors,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if requests.get(base + SCHEMA_PATH, timeout=10).ok:
                return server, base, access
        except requests.RequestException:
            pass
        time.sleep(0.3)
    server.kill()
    raise SystemExit(f"gunicorn did not answer on {base}; see {workdir / 'server.log'}")


def log_in(base, username):
    session = requests.Session()
    page = session.get(base + "/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(
        base + "/accounts/login/",
        data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    cookies = session.cookies.get_dict()
    if "sessionid" not in cookies:
        raise SystemExit(f"could not log in as {username}")
    return cookies["sessionid"], cookies["csrftoken"]


def write_config(path, ids):
    lines = []
    for name, values in ids.items():
        if values:
            lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    for parameter, name in PARAMETERS.items():
        if ids.get(name):
            lines.append(
                f'"{parameter}" = {{ dictionary = "{name}", probability = {REAL_ID_PROBABILITY} }}'
            )
    path.write_text("\n".join(lines) + "\n")


def run_schemathesis(base, login, config, har, *, examples, phases, seed):
    sessionid, csrftoken = login
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        base + SCHEMA_PATH,
        "--header",
        f"Cookie: sessionid={sessionid}; csrftoken={csrftoken}",
        "--header",
        f"X-CSRFToken: {csrftoken}",
        "--checks=not_a_server_error",
        "--mode=all",
        f"--phases={phases}",
        f"--max-examples={examples}",
        f"--seed={seed}",
        # One worker: hypothesis' strategy descriptions are not thread-safe on Python 3.11
        # (with two, a run died in ast.parse: "AST constructor recursion depth mismatch").
        "--workers=1",
        "--suppress-health-check=all",
        "--report=har",
        f"--report-har-path={har}",
    ]
    # In the work folder: schemathesis keeps a cache (.schemathesis/) in its current folder.
    done = subprocess.run(  # noqa: S603 - our own schemathesis, our arguments
        command, cwd=har.parent, capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout + done.stderr


def read_har(path):
    if not path.exists():
        return []
    return json.loads(path.read_text())["log"]["entries"]


def is_json_error(entry):
    response = entry["response"]
    if response["status"] < 400:
        return True
    try:
        body = json.loads(response["content"].get("text") or "")
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("detail"), str)


def curl_line(entry):
    request = entry["request"]
    parts = ["curl", "-X", request["method"], shlex.quote(request["url"])]
    parts += ["-b", '"sessionid=$SESSIONID; csrftoken=$CSRFTOKEN"']
    parts += ["-H", '"X-CSRFToken: $CSRFTOKEN"']
    for header in request["headers"]:
        if header["name"].lower() in ("content-type",):
            parts += ["-H", shlex.quote(f"{header['name']}: {header['value']}")]
    body = request.get("postData", {}).get("text")
    if body:
        parts += ["--data-raw", shlex.quote(body)]
    return " ".join(parts)


def fuzz(base, logins, configs, workdir, target, seed):
    """Rounds of schemathesis for every role until ``target`` requests are made."""
    entries = collections.defaultdict(list)
    outputs = []
    operations = len(requests.get(base + SCHEMA_PATH, timeout=10).json()["paths"]) or 1
    rounds = 0
    while sum(map(len, entries.values())) < target and rounds < 20:
        missing = target - sum(map(len, entries.values()))
        first = rounds == 0
        phases = "coverage,fuzzing,stateful" if first else "fuzzing"
        # Two generation modes per operation (positive, negative); the first round's coverage
        # and stateful phases add about as many requests again.
        share = missing / (len(logins) * operations * 2 * (2 if first else 1))
        examples = max(5, round(share * 1.3))
        for role in logins:
            har = workdir / f"{role}-{rounds}.har.json"
            code, output = run_schemathesis(
                base, logins[role], configs[role], har,
                examples=examples, phases=phases, seed=seed + rounds,
            )  # fmt: skip
            made = read_har(har)
            entries[role] += made
            outputs.append((role, code, output))
            print(f"  round {rounds + 1} {role:<8} {phases:<26} -n {examples:<4} {len(made):>6}")
        rounds += 1
    return entries, outputs


def access_log_count(path):
    return sum(1 for line in path.read_text().splitlines() if " /api/v1/" in line)


def _classes(counts):
    return "  ".join(f"{name} {counts[name]}" for name in sorted(counts))


def report(entries, outputs, access, elapsed, workdir):
    total = sum(map(len, entries.values()))
    print(f"\n{total} requests in {elapsed:.0f} s (server access log: {access_log_count(access)})")
    classes = collections.Counter()
    for role, made in entries.items():
        counts = collections.Counter(f"{entry['response']['status'] // 100}xx" for entry in made)
        classes.update(counts)
        print(f"  {role:<8} {len(made):>6}  {_classes(counts)}")
    print(f"  all      {total:>6}  {_classes(classes)}")
    bad = [
        (role, entry)
        for role, made in entries.items()
        for entry in made
        if entry["response"]["status"] >= 500 or not is_json_error(entry)
    ]
    print(f"5xx: {classes['5xx']}; error bodies not JSON {{'detail': …}}: "
          f"{sum(1 for _r, e in bad if e['response']['status'] < 500)}")  # fmt: skip
    for role, entry in bad[:30]:
        body = (entry["response"]["content"].get("text") or "")[:200]
        print(f"\n[{role}] {entry['response']['status']} {body!r}\n  {curl_line(entry)}")
    failed = [(role, output) for role, code, output in outputs if code not in (0,)]
    for role, output in failed:
        print(f"\nschemathesis ({role}) reported failures:\n{output[-4000:]}")
    if bad or failed:
        print(f"\nServer tracebacks: {workdir / 'server.log'}")
    return 1 if bad or failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="at least this many (3000)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cplms-fuzz-"))
    started = time.perf_counter()
    ids = build()
    print(f"demo built in {time.perf_counter() - started:.0f} s; work files in {workdir}")
    server, base, access = start_server(free_port(), workdir)
    try:
        logins = {role: log_in(base, username) for role, username in ROLES.items()}
        configs = {}
        for role in ROLES:
            configs[role] = workdir / f"{role}.toml"
            write_config(configs[role], ids[role])
        fuzzing = time.perf_counter()
        entries, outputs = fuzz(base, logins, configs, workdir, args.requests, args.seed)
        code = report(entries, outputs, access, time.perf_counter() - fuzzing, workdir)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"total run time {time.perf_counter() - started:.0f} s")
    sys.exit(code)


if __name__ == "__main__":
    main()
