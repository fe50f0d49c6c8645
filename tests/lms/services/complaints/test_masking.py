"""Personal numbers in a complaint summary are masked wholly; dates, amounts and other numbers
are kept."""

import pytest

from lms.services.complaints.masking import mask_personal_data


@pytest.mark.parametrize(
    ("text", "masked", "count"),
    [
        # Next to Chinese characters, no space.
        ("客户13812345678反映", "客户***********反映", 1),
        ("身份证11010519491231002X办理", "身份证******************办理", 1),
        ("身份证号码110105194912310021。", "身份证号码******************。", 1),
        # Mobile numbers written with separators or a country code.
        ("电话138 1234 5678", "电话*** **** ****", 1),
        ("电话138-1234-5678", "电话***-****-****", 1),
        ("+8613812345678", "+*************", 1),
        # Full-width digits, as a Chinese input method types them.
        ("手机１３８１２３４５６７８", "手机***********", 1),
        # Card numbers, in one run or in groups of four.
        ("卡号6222021234567890123", "卡号*******************", 1),
        ("卡号6217000011112222", "卡号****************", 1),
        ("卡号6222 0212 3456 7890 123，", "卡号**** **** **** **** ***，", 1),
        ("卡号6222-0212-3456-7890", "卡号****-****-****-****", 1),
        # Several in one text.
        ("手机15912345678，卡6217000011112222333", "手机***********，卡*******************", 2),
    ],
)
def test_personal_numbers_are_masked(text, masked, count):
    assert mask_personal_data(text) == (masked, count)


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-01 扣款 12,345.67元",  # a date and an amount
        "20260301",  # a date in one run
        "金额1380元",  # a short number
        "订单号202603011234567890123",  # 21 digits: a serial, not a card
        "130123456789",  # 12 digits: not a mobile number inside a longer run
        "12345678901",  # 11 digits not starting 1[3-9]
        "座机0931-8888888",  # a landline
        "1234 5678 9012 3456 7890",  # five groups of four: 20 digits
        "工号000101于2026年3月1日",
        "",
    ],
)
def test_dates_amounts_and_other_numbers_are_kept(text):
    assert mask_personal_data(text) == (text, 0)


def test_masking_twice_finds_nothing_more():
    once, count = mask_personal_data("客户13812345678和6217000011112222")
    assert count == 2
    assert mask_personal_data(once) == (once, 0)
    assert len(once) == len("客户13812345678和6217000011112222")
