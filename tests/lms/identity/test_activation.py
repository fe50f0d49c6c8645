"""First-login activation codes: the officer issues and prints them, the person activates with
one and is signed in; expiry, single use, lockout, leavers, re-issuing, scope and who may issue."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone, translation

from lms.models import ActivationCode
from lms.services.identity import activation
from tests.factories import make_org, make_staff

pytestmark = pytest.mark.django_db

ADMIN = "/admin/activation-codes/"
ACTIVATE = "/accounts/activate/"
NEW_PASSWORD = "Lanzhou-Bank-2026"


def zh(msgid):
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def imported(org):
    """As the roster import leaves them: accounts without a usable password."""
    people = {
        "000101": make_staff("000101", org["LZ0101"], name="张三"),
        "000102": make_staff("000102", org["LZ0102"], name="李四"),
        "000201": make_staff("000201", org["LZ0201"], name="赵六"),
    }
    for staff in people.values():
        staff.user.set_unusable_password()
        staff.user.save()
    return people


def issue(officer, unit, **kwargs):
    return {
        item.staff.employee_no: item.code
        for item in activation.issue_codes(unit, issued_by=officer, **kwargs)
    }


def activate(client, number, code, password=NEW_PASSWORD, again=None):
    return client.post(
        ACTIVATE,
        {
            "employee_no": number,
            "code": code,
            "new_password1": password,
            "new_password2": again if again is not None else password,
        },
    )


def test_the_officer_issues_and_prints_slips(officer, imported, org):
    admin = Client()
    admin.force_login(officer)
    listing = admin.get(ADMIN, {"unit": org["LZ01"].pk})
    assert listing.status_code == 200
    assert [person.employee_no for person, _code in listing.context["rows"]] == ["000101", "000102"]
    slips = admin.post(ADMIN, {"unit": org["LZ01"].pk, "scope": "all"})
    assert slips.status_code == 200 and "no-store" in slips["Cache-Control"]
    html = slips.content.decode()
    assert html.count("data-slip") == 2
    assert "张三" in html and "000101" in html and "李四" in html and "赵六" not in html
    assert "http://testserver/accounts/activate/" in html
    assert "size: A4" in html
    codes = re.findall(r"data-code>([A-Z0-9-]+)<", html)
    assert len(codes) == 2 and all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", c) for c in codes)
    rows = ActivationCode.objects.order_by("staff__employee_no")
    assert [row.issued_by for row in rows] == [officer, officer]
    for row, code in zip(rows, codes, strict=True):
        assert code.replace("-", "") not in row.code_hash  # only a keyed hash is stored
        assert row.expires_at - row.issued_at == timedelta(days=7)
    # Now listed with their open code.
    listing = admin.get(ADMIN, {"unit": org["LZ01"].pk})
    assert all(code is not None for _person, code in listing.context["rows"])


def test_selected_people_only(officer, imported, org):
    admin = Client()
    admin.force_login(officer)
    slips = admin.post(
        ADMIN, {"unit": org["LZ"].pk, "scope": "selected", "staff": [imported["000201"].pk]}
    )
    assert slips.content.decode().count("data-slip") == 1
    assert list(ActivationCode.objects.values_list("staff__employee_no", flat=True)) == ["000201"]
    # "Selected" with nobody ticked issues nothing and says so.
    response = admin.post(ADMIN, {"unit": org["LZ"].pk, "scope": "selected"})
    assert response.status_code == 302 and ActivationCode.objects.count() == 1


def test_people_who_can_sign_in_and_leavers_get_no_code(officer, imported, org):
    make_staff("000103", org["LZ0101"], name="有密码")  # has a password already
    imported["000102"].is_active = False
    imported["000102"].save()
    assert set(issue(officer, org["LZ"])) == {"000101", "000201"}


def test_activation_sets_the_password_and_signs_in(client, officer, imported, org):
    code = issue(officer, org["LZ0101"])["000101"]
    typed = f"{code[:4].lower()} {code[4:]}"  # as typed on a phone
    response = activate(client, " 000101 ", typed)
    assert response.status_code == 302 and response["Location"] == "/learn/"
    user = imported["000101"].user
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    row = ActivationCode.objects.get()
    assert row.used_at is not None
    # From now on the normal login works with the new password.
    other = Client()
    login = other.post("/accounts/login/", {"username": "000101", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_a_used_code_does_not_work_again(client, officer, imported, org):
    code = issue(officer, org["LZ0101"])["000101"]
    assert activate(client, "000101", code).status_code == 302
    # The officer's page records who issued it and when it was used.
    admin = Client()
    admin.force_login(officer)
    [row] = admin.get(ADMIN, {"unit": org["LZ01"].pk}).context["history"]
    assert row.issued_by == officer and row.used_at is not None
    response = activate(Client(), "000101", code, password="Another-Pass-2026")
    assert response.status_code == 400
    assert zh("This activation code has been used already. Log in with your password.") in (
        response.content.decode()
    )
    imported["000101"].user.refresh_from_db()
    assert imported["000101"].user.check_password(NEW_PASSWORD)


def test_an_expired_code_is_refused(client, officer, imported, org):
    code = issue(officer, org["LZ0101"])["000101"]
    ActivationCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = activate(client, "000101", code)
    assert response.status_code == 400
    assert zh("This activation code has expired. Ask your training officer for a new one.") in (
        response.content.decode()
    )
    imported["000101"].user.refresh_from_db()
    assert not imported["000101"].user.has_usable_password()


def test_wrong_codes_lock_the_number_then_it_unlocks(client, officer, imported, org, settings):
    settings.LMS_ACTIVATION_MAX_ATTEMPTS = 5
    code = issue(officer, org["LZ0101"])["000101"]
    for _attempt in range(4):
        assert activate(client, "000101", "AAAA-AAAA").status_code == 400
    assert ActivationCode.objects.get().failed_attempts == 4
    response = activate(client, "000101", "AAAA-AAAA")
    assert response.status_code == 400 and ActivationCode.objects.get().locked_until is not None
    # Locked: even the right code is refused now.
    response = activate(client, "000101", code)
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    assert "15" in response.content.decode()
    imported["000101"].user.refresh_from_db()
    assert not imported["000101"].user.has_usable_password()
    # Fifteen minutes later the right code works.
    ActivationCode.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert activate(client, "000101", code).status_code == 302


def test_an_unknown_number_gets_the_same_answer_as_a_wrong_code(client, officer, imported, org):
    issue(officer, org["LZ0101"])
    unknown = activate(client, "999999", "AAAA-AAAA")
    wrong = activate(client, "000101", "AAAA-AAAA")
    assert unknown.status_code == wrong.status_code == 400
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


def test_a_leaver_cannot_activate(client, officer, imported, org):
    code = issue(officer, org["LZ0101"])["000101"]
    imported["000101"].is_active = False
    imported["000101"].save()
    response = activate(client, "000101", code)
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    imported["000101"].user.refresh_from_db()
    assert not imported["000101"].user.has_usable_password()
    assert ActivationCode.objects.get().used_at is None


def test_a_weak_password_is_refused_and_the_code_kept(client, officer, imported, org):
    code = issue(officer, org["LZ0101"])["000101"]
    assert activate(client, "000101", code, password="12345678").status_code == 400
    assert activate(client, "000101", code, again="different-Pass-1").status_code == 400
    assert ActivationCode.objects.get().used_at is None
    assert ActivationCode.objects.get().failed_attempts == 0
    assert activate(client, "000101", code).status_code == 302


def test_reissuing_replaces_the_earlier_code(client, officer, imported, org):
    old = issue(officer, org["LZ0101"])["000101"]
    new = issue(officer, org["LZ0101"])["000101"]
    assert ActivationCode.objects.count() == 2  # the earlier one is kept, replaced
    assert ActivationCode.objects.filter(replaced_at__isnull=False).count() == 1
    assert activate(client, "000101", old).status_code == 400
    assert activate(client, "000101", new).status_code == 302


def test_an_officer_of_one_outlet_cannot_issue_for_another(imported, org):
    head = make_staff("000299", org["LZ0201"], name="西站负责人").user
    head.user_permissions.add(
        Permission.objects.get(codename="issue_activationcode"),
        Permission.objects.get(codename="access_admin"),
    )
    imported_head = head.staff_profile
    imported_head.managed_units.add(org["LZ0201"])
    assert set(issue(head, org["LZ0201"])) == {"000201"}
    with pytest.raises(PermissionDenied):
        activation.issue_codes(org["LZ01"], issued_by=head)
    admin = Client()
    admin.force_login(head)
    response = admin.post(ADMIN, {"unit": org["LZ01"].pk, "scope": "all"})
    assert response.status_code == 400
    assert not ActivationCode.objects.filter(staff__employee_no="000101").exists()
    listing = admin.get(ADMIN)
    assert list(listing.context["form"].fields["unit"].queryset) == [org["LZ0201"]]


def test_learners_and_trainers_cannot_reach_the_admin_page(trainer, imported, org):
    learner = Client()
    learner.force_login(imported["000101"].user)
    assert learner.get(ADMIN).status_code in (302, 403)
    assert learner.post(ADMIN, {"unit": org["LZ"].pk}).status_code in (302, 403)
    staff = Client()
    staff.force_login(trainer)
    assert staff.get(ADMIN).status_code in (302, 403)
    assert staff.post(ADMIN, {"unit": org["LZ"].pk}).status_code in (302, 403)
    assert not ActivationCode.objects.exists()


def test_the_activation_page_is_linked_from_the_login_page(client):
    page = client.get("/accounts/login/")
    assert 'href="/accounts/activate/"' in page.content.decode()
    form = client.get(ACTIVATE)
    assert form.status_code == 200 and 'autocomplete="one-time-code"' in form.content.decode()


def test_the_codes_use_an_unambiguous_alphabet():
    codes = {activation.new_code() for _i in range(200)}
    assert len(codes) == 200
    assert not set("".join(codes)) & set("01ILO")
    assert all(len(code) == 8 for code in codes)


def test_a_slip_is_no_way_into_an_account_that_has_a_password_by_now(
    client, officer, imported, org
):
    code = issue(officer, org["LZ0101"])["000101"]
    user = imported["000101"].user
    user.set_password("Set-By-Administrator-1")
    user.save()
    response = activate(client, "000101", code)
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.check_password("Set-By-Administrator-1")
