"""A Monday morning at the bank, for Locust (headless, loopback only): see bench/README.md.

    locust -f bench/load/locustfile.py --headless -u 120 -r 10 -t 3m \
        --host http://127.0.0.1:8080 --csv var/cluster/results/run

Learners (most users) log in, open 我的学习 and the "周一晨训" course, read its lessons (the
lesson page, a heartbeat, then the completion once the lesson's minimum reading time — cut to a
few seconds by ``prepare.py`` — has passed: real short waits, no pre-aged progress), start the
final check, answer every question, submit, and half of them check in to the offline session
with a fresh QR token; then the next person of the pool takes the seat. Managers (outlet heads,
sub-branch managers) sit on the team pages and the team API. One officer exports the branch's
evidence (streamed CSV, read to the end) and imports the roster file (upload → queued task →
the run page polled until it is finished). One more user requests the bare view at a fixed
rate, the stack's own cost in the same run.

Every ACKNOWLEDGED write (2xx: lesson completion, answer, submit, check-in) is appended to
``$LOAD_JOURNAL_DIR/<pid>.jsonl`` (default var/cluster/journal) with its time, user, kind and
the ids that find it in the database (``reconcile.py`` checks them); every failed request is
appended to ``<pid>.failures.jsonl`` with its time, so errors can be compared with an outage.
Requests are named by kind (``lesson``, ``lesson_complete``, ``answer``, ``submit``, …).
"""

import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path

from locust import HttpUser, between, constant_throughput, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_ENV_FILE, JOURNAL_DIR, POOL_FILE, layout  # noqa: E402

POOL = json.loads(Path(os.environ.get("LOAD_POOL", POOL_FILE)).read_text(encoding="utf-8"))
JOURNAL = Path(os.environ.get("LOAD_JOURNAL_DIR", JOURNAL_DIR))
JOURNAL.mkdir(parents=True, exist_ok=True)
CHECK_IN_SHARE = float(os.environ.get("LOAD_CHECK_IN_SHARE", "0.5"))
EXPORT_EVERY = float(os.environ.get("LOAD_EXPORT_EVERY", "90"))  # seconds between exports
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROSTER_STATE = re.compile(r'data-roster-run="([a-z]+)"')
LEARNERS = itertools.cycle(POOL["learners"])
MANAGERS = itertools.cycle(POOL["managers"])


def _signer():
    """The QR code's signer (lms.services.learning.offline), keyed with the cluster's
    SECRET_KEY: the load tool shows itself the code the session's screen would show."""
    from django.conf import settings  # noqa: PLC0415
    from django.core import signing  # noqa: PLC0415

    env = layout.read_env_file(os.environ.get("LOAD_ENV_FILE", DEFAULT_ENV_FILE))
    if not settings.configured:
        settings.configure(SECRET_KEY=env["SECRET_KEY"])
    return signing.Signer(salt="lms.offline.check-in")


SIGNER = _signer()


class _Files:
    """Append-only JSON lines, one file per Locust process, flushed per line."""

    def __init__(self):
        self.journal = (JOURNAL / f"{os.getpid()}.jsonl").open("a", encoding="utf-8")
        self.failures = (JOURNAL / f"{os.getpid()}.failures.jsonl").open("a", encoding="utf-8")

    @staticmethod
    def _write(handle, row):
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        handle.flush()


FILES = _Files()


def journal(kind, user, **ids):
    FILES._write(FILES.journal, {"t": time.time(), "kind": kind, "user": user, **ids})


@events.request.add_listener
def _log_failure(request_type, name, response_time, exception, context, response=None, **_kw):
    if exception is None:
        return
    FILES._write(
        FILES.failures,
        {
            "t": time.time(),
            "kind": name,
            "method": request_type,
            "status": getattr(response, "status_code", None),
            "ms": round(response_time or 0),
            "user": (context or {}).get("user"),
            "error": str(exception)[:200],
        },
    )


class Person(HttpUser):
    """A logged-in person: login, CSRF, named requests."""

    abstract = True
    username = None

    def on_start(self):
        self._loopback_cookies()
        origin = self.host.replace("http://", "https://")
        self.client.headers.update({"Origin": origin, "Referer": origin + "/"})

    def context(self):
        return {"user": self.username}

    def _loopback_cookies(self):
        """Send the Secure cookies back over loopback HTTP (nginx plays the TLS proxy here):
        requests copies the jar for each request, so the flag itself is cleared first."""
        send = self.client.request

        def request(*args, **kwargs):
            for cookie in self.client.cookies:
                cookie.secure = False
            return send(*args, **kwargs)

        self.client.request = request

    def csrf(self):
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}

    def log_in(self, account):
        self.client.cookies.clear()
        self.username = account["username"]
        page = self.client.get("/accounts/login/", name="login_page", context=self.context())
        found = CSRF_FIELD.search(page.text or "")
        if not found:
            return False
        form = {
            "username": self.username,
            "password": POOL["password"],
            "csrfmiddlewaretoken": found.group(1),
        }
        with self.client.post(
            "/accounts/login/", data=form, name="login", allow_redirects=False,
            catch_response=True, context=self.context(),
        ) as response:  # fmt: skip
            if response.status_code != 302 or "sessionid" not in self.client.cookies:
                response.failure(f"login refused ({response.status_code})")
                return False
        return True

    def api(self, method, path, name, payload=None):
        """A JSON API call; the response when it is 2xx, else None (counted as a failure)."""
        with self.client.request(
            method, path, name=name, json=payload, headers=self.csrf(),
            catch_response=True, context=self.context(),
        ) as response:  # fmt: skip
            if 200 <= response.status_code < 300:
                return response
            response.failure(f"{response.status_code}: {(response.text or '')[:120]}")
        return None


class Learner(Person):
    """One seat at a desk: a learner after another does the whole Monday morning."""

    weight = 90
    wait_time = between(1, 3)

    @task
    def morning(self):
        account = next(LEARNERS)
        if not self.log_in(account):
            return
        user = {"user": self.username, "user_id": account["user_id"]}
        self.client.get("/learn/", name="learn", context=self.context())
        self.think()
        self.client.get(POOL["course"]["url"], name="course", context=self.context())
        for lesson in POOL["lessons"]:
            self.read(lesson, user)
        self.quiz(user)
        if random.random() < CHECK_IN_SHARE:
            self.check_in(user)
        self.client.post(
            "/accounts/logout/", name="logout", headers=self.csrf(), context=self.context()
        )

    def think(self, low=1.0, high=3.0):
        time.sleep(random.uniform(low, high))

    def read(self, lesson, user):
        self.think()
        self.client.get(lesson["url"], name="lesson", context=self.context())
        time.sleep(3.2)
        self.api("POST", f"/api/v1/lessons/{lesson['id']}/heartbeat", "heartbeat")
        time.sleep(3.2)
        done = self.api("POST", f"/api/v1/lessons/{lesson['id']}/complete", "lesson_complete")
        if done is not None:
            journal("lesson_complete", **user, lesson_id=lesson["id"])

    def quiz(self, user):
        quiz = POOL["quiz"]
        self.think()
        self.client.get(quiz["step_url"], name="quiz_page", context=self.context())
        started = self.api(
            "POST", f"/api/v1/quizzes/{quiz['id']}/attempts", "start", {"confirm": True}
        )
        if started is None:
            return
        attempt = started.json()
        for question in attempt["questions"]:
            self.think(0.5, 2.0)
            choices = quiz["correct"].get(str(question["id"]), [])
            answered = self.api(
                "PUT",
                f"/api/v1/attempts/{attempt['id']}/answers/{question['id']}",
                "answer",
                {"choices": choices},
            )
            if answered is not None:
                journal("answer", **user, attempt_id=attempt["id"], question_id=question["id"],
                        choices=sorted(choices))  # fmt: skip
        self.think()
        submitted = self.api("POST", f"/api/v1/attempts/{attempt['id']}/submit", "submit")
        if submitted is not None:
            journal("submit", **user, attempt_id=attempt["id"])

    def check_in(self, user):
        token = SIGNER.sign_object({"s": POOL["session"]["id"], "t": int(time.time())})
        done = self.api("POST", "/api/v1/me/check-in", "checkin", {"token": token})
        if done is not None:
            body = done.json()
            journal("checkin", **user, session_id=POOL["session"]["id"],
                    record_id=body.get("record_id"))  # fmt: skip


class Manager(Person):
    """An outlet head or a sub-branch manager on the team pages and the team API."""

    weight = 8
    wait_time = between(5, 15)

    def on_start(self):
        super().on_start()
        self.account = next(MANAGERS)
        self.log_in(self.account)

    @task(3)
    def team_pages(self):
        self.client.get("/learn/team/", name="team", context=self.context())
        self.client.get(
            f"/learn/team/units/{self.account['unit_id']}/", name="team_unit",
            context=self.context(),
        )  # fmt: skip

    @task(2)
    def team_api(self):
        self.api("GET", "/api/v1/team/units/", "api_team")
        self.api("GET", f"/api/v1/team/units/{self.account['unit_id']}", "api_team_unit")


class Officer(Person):
    """The consumer-protection officer: the evidence export and the roster import."""

    fixed_count = 1
    wait_time = constant_throughput(1 / EXPORT_EVERY)

    def on_start(self):
        super().on_start()
        self.log_in(POOL["officer"])

    @task
    def desk(self):
        self.export()
        self.roster_import()

    def export(self):
        began = time.perf_counter()
        with self.client.get(
            f"/admin/training/evidence/{POOL['plan_id']}.csv", name="export", stream=True,
            catch_response=True, context=self.context(),
        ) as response:  # fmt: skip
            size = sum(len(chunk) for chunk in response.iter_content(65536))
            if response.status_code != 200 or size < 100:
                response.failure(f"export {response.status_code}, {size} bytes")
                return
        events.request.fire(
            request_type="GET", name="export_bytes", response_time=(time.perf_counter() - began)
            * 1000, response_length=size, exception=None, context=self.context(),
        )  # fmt: skip

    def roster_import(self):
        page = self.client.get("/admin/roster-import/", name="roster_page", context=self.context())
        found = CSRF_FIELD.search(page.text or "")
        if not found:
            return
        began = time.perf_counter()
        with open(POOL["roster_file"], "rb") as roster:
            response = self.client.post(
                "/admin/roster-import/", name="roster_import",
                data={"csrfmiddlewaretoken": found.group(1)},
                files={"file": ("roster.csv", roster, "text/csv")},
                context=self.context(), allow_redirects=False,
            )  # fmt: skip
        if response.is_redirect:  # followed here: requests would drop the Secure cookies
            url = response.headers["Location"]
            response = self.client.get(url, name="roster_poll", context=self.context())
        state, url = None, response.url
        for _poll in range(120):
            state_found = ROSTER_STATE.search(response.text or "")
            state = state_found.group(1) if state_found else None
            if state not in ("queued", "waiting", "running"):
                break
            time.sleep(1)
            response = self.client.get(url, name="roster_poll", context=self.context())
        events.request.fire(
            request_type="TASK", name="roster_done", response_time=(time.perf_counter() - began)
            * 1000, response_length=0, context=self.context(),
            exception=None if state == "finished" else RuntimeError(
                f"roster run {state} ({response.status_code} {response.url})"
            ),
        )  # fmt: skip


class Bare(HttpUser):
    """The bare view at a fixed rate: what the stack costs with no work of its own."""

    fixed_count = 1
    wait_time = constant_throughput(float(os.environ.get("LOAD_BARE_RATE", "2")))

    @task
    def bare(self):
        self.client.get("/bench/bare/", name="bare")
