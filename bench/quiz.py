"""Quiz benchmark: start + 20 answers + submit of a 20-question quiz drawn at random from the
bank, per request: queries (constant in bank size) and time, next to a bare Django view.

Run on demand: `python bench/quiz.py` (SQLite temp file) or with DATABASE_URL=postgres://….
Bank sizes are set with BENCH_BANKS (default "100,2000"); rounds per size with BENCH_ROUNDS.
"""

import os
import statistics
import sys
import tempfile
import time
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
from django.db import connection, reset_queries  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path, reverse  # noqa: E402

from quizzes.models import Attempt, Choice, Question, Quiz, QuizDrawRule  # noqa: E402
from quizzes.services import category_by_path  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
BANKS = [int(n) for n in os.environ.get("BENCH_BANKS", "100,2000").split(",")]


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare)]


def grow_bank(size):
    category = category_by_path("基准/题库", create=True)
    have = Question.objects.filter(category=category).count()
    for number in range(have, size):
        question = Question(category=category, type="single", stem=f"基准题 {number}")
        question.choices = [Choice(text=t, is_correct=t == "甲") for t in ("甲", "乙", "丙", "丁")]
        question.save()
    return category


def timed(client, method, url, **kwargs):
    with override_settings(DEBUG=True):
        reset_queries()
        start = time.perf_counter()
        response = getattr(client, method)(url, **kwargs)
        elapsed = time.perf_counter() - start
        queries = len(connection.queries)
    assert response.status_code in (200, 302), (url, response.status_code)
    return elapsed, queries


def run_round(client, quiz):
    steps = {"start": [], "answer": [], "submit": []}
    seconds, queries = timed(client, "post", reverse("quizzes:start", args=[quiz.pk]))
    steps["start"].append((seconds, queries))
    attempt = Attempt.objects.filter(quiz=quiz).latest("pk")
    url = reverse("quizzes:answer", args=[attempt.pk])
    for entry in attempt.questions:
        choice = entry["choices"][0]["id"]
        steps["answer"].append(
            timed(
                client,
                "post",
                url,
                data={"question_id": entry["id"], "choice": choice},
                HTTP_ACCEPT="application/json",
            )
        )
    steps["submit"].append(timed(client, "post", reverse("quizzes:submit", args=[attempt.pk])))
    return steps


def main():
    call_command("migrate", verbosity=0)
    user, _created = get_user_model().objects.get_or_create(username="bench")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    bare_client = Client(HTTP_HOST="localhost")
    with override_settings(ROOT_URLCONF=__name__):
        bare_times = [timed(bare_client, "get", "/bare/")[0] for _ in range(200)]
    bare_ms = statistics.median(bare_times) * 1000
    print(f"{connection.vendor}; bare view median {bare_ms:.2f} ms ({1000 / bare_ms:.0f} req/s)")
    print(f"{'bank':>6} {'request':<8} {'median ms':>10} {'req/s':>8} {'x bare':>7} {'queries':>8}")
    for size in BANKS:
        category = grow_bank(size)
        quiz = Quiz.objects.create(title=f"基准 {size}", is_draft=False, max_attempts=0)
        QuizDrawRule.objects.create(quiz=quiz, category=category, count=20)
        totals = {"start": [], "answer": [], "submit": []}
        for _round in range(ROUNDS):
            for step, values in run_round(client, quiz).items():
                totals[step].extend(values)
        for step, values in totals.items():
            median = statistics.median(seconds for seconds, _q in values) * 1000
            query_counts = sorted({q for _s, q in values})
            print(
                f"{size:>6} {step:<8} {median:>10.2f} {1000 / median:>8.0f} "
                f"{median / bare_ms:>7.0f} {','.join(map(str, query_counts)):>8}"
            )


if __name__ == "__main__":
    main()
