"""``lms_demo`` creates a superuser with a published password: with production settings
(``DEMO_DATA_ALLOWED`` false, the base default) it refuses, says why, and writes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from config.settings import base


def test_production_settings_do_not_allow_the_demo():
    assert base.DEMO_DATA_ALLOWED is False


@pytest.mark.django_db
@override_settings(DEMO_DATA_ALLOWED=False)
def test_lms_demo_refuses_without_demo_data_allowed():
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("lms_demo")
    assert "拒绝" in str(refused.value) and "DEMO_DATA_ALLOWED" in str(refused.value)
    assert not get_user_model().objects.exists()
