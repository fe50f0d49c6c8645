"""Activation codes under simultaneous requests, with real threads and connections (SQLite WAL
and PostgreSQL): one code works once however many phones send it at the same moment, every
wrong code is counted, and officers issuing at once leave one open code per person."""

import pytest
from django.contrib.auth.models import Group

from lms.models import ActivationCode
from lms.services import OFFICERS
from lms.services.identity import activation
from tests.concurrency import THREADS, run_concurrently
from tests.factories import UserFactory, make_org, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    org = make_org()
    teller = make_staff("000101", org["LZ0101"], name="张三")
    teller.user.set_unusable_password()
    teller.user.save()
    officer = UserFactory(username="officer", is_superuser=True)
    Group.objects.get_or_create(name=OFFICERS)
    return org, teller, officer


def attempt(number, code, password):
    try:
        activation.activate(number, code, password)
    except activation.ActivationRefused as refusal:
        return refusal.reason
    return "activated"


def test_one_code_sent_from_six_phones_at_once_activates_once(world):
    org, teller, officer = world
    [issued] = activation.issue_codes(org["LZ0101"], issued_by=officer)
    results, errors = run_concurrently(lambda: attempt("000101", issued.code, "Lanzhou-Bank-2026"))
    assert errors == []
    assert sorted(results) == ["activated"] + ["used"] * (THREADS - 1)
    assert ActivationCode.objects.get().used_at is not None


def test_simultaneous_wrong_codes_are_all_counted(world, settings):
    settings.LMS_ACTIVATION_MAX_ATTEMPTS = 100
    org, teller, officer = world
    activation.issue_codes(org["LZ0101"], issued_by=officer)
    results, errors = run_concurrently(lambda: attempt("000101", "AAAA-AAAA", "x"))
    assert errors == [] and results == ["wrong"] * THREADS
    assert ActivationCode.objects.get().failed_attempts == THREADS


def test_officers_issuing_at_once_leave_one_open_code(world, settings):
    settings.LMS_ACTIVATION_MAX_ATTEMPTS = 100  # the replaced codes are tried below
    org, teller, officer = world
    results, errors = run_concurrently(
        lambda: activation.issue_codes(org["LZ01"], issued_by=officer)[0].code
    )
    assert errors == []
    assert ActivationCode.objects.count() == THREADS
    open_codes = ActivationCode.objects.filter(used_at__isnull=True, replaced_at__isnull=True)
    assert open_codes.count() == 1
    # Exactly one of the printed codes works: the last one issued.
    outcomes = [attempt("000101", code, "Lanzhou-Bank-2026") for code in results]
    assert outcomes.count("activated") == 1
