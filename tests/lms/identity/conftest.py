import pytest
from django.core.cache import cache

from tests.lms.identity.wecom_fake import AGENT_ID, CORP_ID, SECRET, FakeWeCom


@pytest.fixture
def fake_wecom(settings):
    """A running fake WeCom server, and the site configured to use it (token cache cleared)."""
    fake = FakeWeCom().start()
    settings.LMS_WECOM_CORP_ID = CORP_ID
    settings.LMS_WECOM_AGENT_ID = AGENT_ID
    settings.LMS_WECOM_SECRET = SECRET
    settings.LMS_WECOM_API_BASE = fake.url
    settings.LMS_WECOM_OAUTH_BASE = fake.url
    cache.clear()
    yield fake
    fake.stop()
    cache.clear()
