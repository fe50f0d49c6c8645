"""The classification codes' rules: a code finds its descendants' content, sub-codes carry
their parent's key, the standard's codes stay as shipped, codes in use are not deleted."""

import pytest
from django.utils import translation

from lms.models import Complaint
from quizzes.models import ClassificationCode, Question
from quizzes.services.classification import (
    CodeLookup,
    code_errors,
    content_for,
    deletion_blocker,
    matching_codes,
    tagged_with,
    tree_key,
)
from tests.factories import make_category, make_org, make_question

pytestmark = pytest.mark.django_db


def code(key):
    return ClassificationCode.objects.get(code=key)


def sub_code(parent_key, key, name="行内细类"):
    parent = code(parent_key)
    return ClassificationCode.objects.create(
        dimension=parent.dimension, code=key, name=name, parent=parent
    )


def test_the_standard_is_seeded_in_tree_order_keys():
    assert code("C.5").name == "信息披露"
    assert code("B.3.3").name == "借记卡盗刷" and code("B.3.3").parent == code("B.3")
    assert ClassificationCode.objects.filter(dimension="C", parent=None).count() == 12
    keys = ["C.10", "C.2", "C.5.1", "C.5", "C.1"]
    assert sorted(keys, key=tree_key) == ["C.1", "C.2", "C.5", "C.5.1", "C.10"]


def test_a_code_matches_itself_and_its_descendants_not_its_prefix_siblings():
    sub_code("C.1", "C.1.1")
    keys = set(matching_codes(["C.1"]).values_list("code", flat=True))
    # C.10, C.11 and C.12 start with "C.1" but are not below it.
    assert keys == {"C.1", "C.1.1"}
    assert set(matching_codes(["B.3"]).values_list("code", flat=True)) == {
        "B.3",
        "B.3.1",
        "B.3.2",
        "B.3.3",
    }


def test_content_for_finds_questions_tagged_with_a_descendant_once():
    category = make_category()
    on_parent = make_question(category, stem="信息披露")
    on_child = make_question(category, stem="盗刷")
    on_both = make_question(category, stem="两个")
    other = make_question(category, stem="别的")
    retired = make_question(category, stem="停用", status=Question.RETIRED)
    bank_code = sub_code("B.3.3", "B.3.3.1", "境外盗刷")
    on_parent.classification_codes.set([code("B.3")])
    on_child.classification_codes.set([bank_code])
    on_both.classification_codes.set([code("B.3"), code("B.3.3")])
    other.classification_codes.set([code("C.1")])
    retired.classification_codes.set([code("B.3")])
    for question in (on_parent, on_child, on_both, other, retired):
        question.save()
    found = list(content_for(["B.3"]).order_by("pk"))
    assert found == [on_parent, on_child, on_both]
    assert list(content_for([code("B.3.3")]).order_by("pk")) == [on_child, on_both]
    assert list(content_for("C.10")) == []
    # The helper keeps any queryset's ordering and adds no duplicates.
    everything = tagged_with(Question.objects.order_by("-pk"), ["B", "B.3", "C.1"])
    assert list(everything) == [retired, other, on_both, on_child, on_parent]


def test_a_bank_code_must_extend_its_parents_key():
    parent = code("C.5")
    with translation.override("en"):
        for key in ("C.51", "C.6.1", "C.5.", "C.5.1 ", "X.5.1", "C.5.1-"):
            candidate = ClassificationCode(
                dimension="C", code=key.strip() if key == "C.5.1 " else key, parent=parent
            )
            errors = code_errors(candidate)
            if key == "C.5.1 ":
                assert errors == {}
            else:
                assert set(errors) == {"code"}, key
                assert "C.5.1" in errors["code"]
        assert set(code_errors(ClassificationCode(dimension="C", code="C.13"))) == {"parent"}
        assert code_errors(ClassificationCode(dimension="C", code="C.5.A1", parent=parent)) == {}


def test_the_standards_codes_can_only_be_deactivated():
    original = code("C.5")
    renamed = code("C.5")
    renamed.name = "披露"
    assert set(code_errors(renamed, original)) == {"name"}
    moved = code("C.5")
    moved.parent = code("C.4")
    assert set(code_errors(moved, original)) == {"parent"}
    deactivated = code("C.5")
    deactivated.is_active = False
    assert code_errors(deactivated, original) == {}
    own = sub_code("C.5", "C.5.1")
    renamed_own = code("C.5.1")
    renamed_own.name = "新名称"
    renamed_own.sort_order = 3
    assert code_errors(renamed_own, own) == {}
    rekeyed = code("C.5.1")
    rekeyed.code = "C.5.2"
    assert set(code_errors(rekeyed, own)) == {"code"}


def test_deletion_is_blocked_for_the_standard_tagged_content_children_and_complaints():
    with translation.override("en"):
        assert "standard" in deletion_blocker(code("C.12"))
        free = sub_code("C.5", "C.5.1")
        assert deletion_blocker(free) is None
        question = make_question(make_category())
        question.classification_codes.set([free])
        question.save()
        assert "1 questions are tagged" in deletion_blocker(free)
        question.classification_codes.set([])
        question.save()
        child = sub_code("C.5.1", "C.5.1.1")
        assert "classification codes still refer" in deletion_blocker(free)
        assert deletion_blocker(child) is None
        channel = sub_code("A.1.1", "A.1.1.1")
        business = sub_code("B.1", "B.1.1")
        Complaint.objects.create(
            number="TS-1",
            received_on="2026-03-01",
            channel=channel,
            business=business,
            reason=child,
            org_unit=make_org()["LZ0101"],
            source=Complaint.ADMIN,
        )
        for used in (channel, business, child):
            assert "complaints still refer" in deletion_blocker(used)


def test_the_import_lookup_takes_keys_or_unique_names():
    code("C.7").is_active = False
    ClassificationCode.objects.filter(code="C.7").update(is_active=False)
    lookup = CodeLookup.load()
    with translation.override("en"):
        assert lookup.find("c.5") == (code("C.5"), None)
        assert lookup.find("借记卡盗刷") == (code("B.3.3"), None)
        found, error = lookup.find("其他")
        assert found is None and "Several" in error and "B.14" in error
        found, error = lookup.find("C.99")
        assert found is None and error == "Unknown classification code “C.99”."
        found, error = lookup.find("C.7")
        assert found is None and "not in use" in error
