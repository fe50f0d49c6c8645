"""A register cell is read as a code of one dimension: by code, name, both or a path of names;
unknown, ambiguous, other-dimension and unused codes are errors naming the column and value."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lms.services.complaints.codes import CodeBook, CodeError
from quizzes.models import ClassificationCode

pytestmark = pytest.mark.django_db
A, B, C = ClassificationCode.CHANNEL, ClassificationCode.BUSINESS, ClassificationCode.REASON


@pytest.fixture
def book():
    return CodeBook()


@pytest.mark.parametrize(
    ("dimension", "text", "code"),
    [
        (C, "C.5", "C.5"),
        (C, "c.5", "C.5"),
        (C, "C-5", "C.5"),
        (C, "信息披露", "C.5"),
        (C, "C.5 信息披露", "C.5"),
        (C, "Ｃ．５　信息披露", "C.5"),  # full-width
        (A, "移动客户端", "A.1.3.3"),
        (A, "电子渠道/移动客户端", "A.1.3.3"),
        (A, "前台业务渠道 / 电子渠道 / 其他", "A.1.3.6"),
        (A, "电子渠道>其他", "A.1.3.6"),
        (A, "前台业务渠道/其他", "A.1.5"),
        (A, "中、后台业务渠道", "A.2"),
        (B, "银行卡/借记卡盗刷", "B.3.3"),
        (B, "B.14", "B.14"),
    ],
)
def test_a_cell_names_one_code(book, dimension, text, code):
    assert book.resolve(dimension, text, "投诉原因").code == code


def message(book, dimension, text, column="投诉原因"):
    with translation.override("en"), pytest.raises(CodeError) as raised:
        book.resolve(dimension, text, column)
    return raised.value.message


def test_unknown_text_is_an_error_naming_the_column_and_value(book):
    text = message(book, C, "服务太差")
    assert "投诉原因" in text and "“服务太差”" in text and "neither a code nor a name" in text
    assert "C.99" in message(book, C, "C.99")


def test_a_name_shared_by_several_codes_asks_for_the_code_or_path(book):
    text = message(book, A, "其他", column="受理渠道")
    assert "受理渠道" in text and "A.1.3.6" in text and "A.1.5" in text
    assert "前台业务渠道/电子渠道/其他" in text


def test_a_code_of_another_dimension_is_an_error(book):
    assert "another dimension" in message(book, C, "B.5")


def test_a_code_with_another_name_is_an_error(book):
    text = message(book, C, "C.5 定价收费")
    assert "C.5" in text and "信息披露" in text


def test_a_code_no_longer_in_use_is_an_error_and_its_active_namesake_wins():
    ClassificationCode.objects.filter(code="C.7").update(is_active=False)
    parent = ClassificationCode.objects.get(code="C.5")
    ClassificationCode.objects.create(
        dimension=C, code="C.5.1", name="费用告知", parent=parent, is_active=False
    )
    ClassificationCode.objects.create(dimension=C, code="C.6.1", name="费用告知")
    book = CodeBook()
    assert "no longer in use" in message(book, C, "C.7")
    assert "no longer in use" in message(book, C, "定价收费")
    assert "no longer in use" in message(book, C, "信息披露/费用告知")
    # The name is shared with a code in use: that one.
    assert book.resolve(C, "费用告知", "投诉原因").code == "C.6.1"


def test_a_blank_cell_is_an_error(book):
    assert "投诉原因" in message(book, C, "  ")


def test_the_codes_are_read_once(book):
    with CaptureQueriesContext(connection) as queries:
        CodeBook()
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        for _ in range(50):
            book.resolve(A, "电子渠道/移动客户端", "受理渠道")
            book.resolve(C, "C.5", "投诉原因")
    assert len(queries) == 0
