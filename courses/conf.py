"""Settings of the courses app, read lazily so ``override_settings`` works in tests.

``LMS_TARGET_POSITIONS``
    The positions a trainer can tick as a course's audience (适用岗位). Default: the typical
    front-line and management positions of a Chinese bank outlet.
"""

from django.conf import settings

DEFAULTS = {
    "LMS_TARGET_POSITIONS": (
        "柜员",
        "大堂经理",
        "理财经理",
        "客户经理",
        "网点负责人",
        "消保专员",
        "新入职员工",
        "中高级管理人员",
    ),
}


class AppSettings:
    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, name, DEFAULTS[name])


app_settings = AppSettings()
