"""Settings of the courses app, read lazily so ``override_settings`` works in tests.

``LMS_TARGET_POSITIONS``
    The positions a trainer can tick as a course's audience (适用岗位). Default: the typical
    front-line and management positions of a Chinese bank outlet.

``LMS_LESSON_HEARTBEAT_SECONDS`` (default 10)
    How often a lesson page open on screen tells the server so (the reading-time heartbeat). A
    heartbeat is credited with the time since the previous one, at most 1.5 times this: time
    with the page hidden, or the phone asleep, does not count beyond that.
"""

from django.conf import settings

DEFAULTS = {
    "LMS_LESSON_HEARTBEAT_SECONDS": 10,
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
