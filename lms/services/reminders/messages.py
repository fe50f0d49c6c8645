"""The words of reminders: subject and text of each kind, in the recipient's language.

Plain text (emails are read on phones, in any mail client); every string is translatable and
rendered with the recipient's language active. No per-person language is stored yet, so that is
the site's ``LANGUAGE_CODE`` (简体中文).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: A chase list names at most this many people; the rest are counted.
CHASE_LIST_LIMIT = 50


def recipient_language(user):
    """The language ``user``'s reminders are written in."""
    return settings.LANGUAGE_CODE


def absolute(path):
    """``path`` on the site's public address (``WAGTAILADMIN_BASE_URL``), for emails only: an
    in-app notification's link is the path alone, so it works on whatever host serves it."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def learn_path():
    """My learning: the in-app link of a learner's reminder."""
    return reverse("lms:learn")


def remind_path(unit_id):
    """The one-tap reminder page of ``unit_id``: the in-app link of a chase list."""
    return reverse("lms:team_remind", args=[unit_id])


def admin_path():
    """The admin dashboard: the in-app link of the weekly digest."""
    return reverse("wagtailadmin_home")


def learn_url():
    return absolute(learn_path())


def remind_url(unit_id):
    return absolute(remind_path(unit_id))


def _day(value):
    return date_format(value, "Y-m-d")


def render(language, build, *args):
    """``build(*args)`` → ``(subject, body)`` with ``language`` active."""
    with translation.override(language):
        return build(*args)


def due_soon(name, title, due_date, days_left):
    if days_left <= 0:
        subject = _("Due today: %(title)s") % {"title": title}
    else:
        subject = ngettext(
            "Due in %(days)d day: %(title)s", "Due in %(days)d days: %(title)s", days_left
        ) % {"days": days_left, "title": title}
    body = _(
        "Hello %(name)s,\n\nYour training “%(title)s” is due on %(due)s and is not complete "
        "yet.\n\nPlease complete it in My learning: %(url)s"
    ) % {"name": name, "title": title, "due": _day(due_date), "url": learn_url()}
    return subject, body


def overdue(name, title, due_date, days_overdue):
    subject = ngettext(
        "%(days)d day overdue: %(title)s", "%(days)d days overdue: %(title)s", days_overdue
    ) % {"days": days_overdue, "title": title}
    body = _(
        "Hello %(name)s,\n\nYour training “%(title)s” was due on %(due)s and is not complete. "
        "Please complete it as soon as possible.\n\nMy learning: %(url)s"
    ) % {"name": name, "title": title, "due": _day(due_date), "url": learn_url()}
    return subject, body


def manual(name, title, due_date, manager):
    subject = _("A reminder from %(manager)s: %(title)s") % {"manager": manager, "title": title}
    body = _(
        "Hello %(name)s,\n\n%(manager)s reminds you that your training “%(title)s” was due on "
        "%(due)s and is not complete. Please complete it as soon as possible.\n\n"
        "My learning: %(url)s"
    ) % {
        "name": name,
        "manager": manager,
        "title": title,
        "due": _day(due_date),
        "url": learn_url(),
    }
    return subject, body


def chase(name, sections, after_days):
    """``sections``: ``[(unit_id, unit_name, [entry, …])]``, an entry being a dict with
    ``name``, ``employee_no``, ``title``, ``due_date`` and ``days``."""
    people = {entry["employee_no"] for _id, _name, entries in sections for entry in entries}
    subject = ngettext(
        "%(count)d person in your team is overdue",
        "%(count)d people in your team are overdue",
        len(people),
    ) % {"count": len(people)}
    lines = [
        _("Hello %(name)s,") % {"name": name},
        "",
        ngettext(
            "These trainings are more than %(days)d day overdue:",
            "These trainings are more than %(days)d days overdue:",
            after_days,
        )
        % {"days": after_days},
    ]
    for unit_id, unit_name, entries in sections:
        lines += ["", unit_name]
        for entry in entries[:CHASE_LIST_LIMIT]:
            lines.append(
                _("- %(name)s (%(employee_no)s): %(title)s, due %(due)s, %(days)d days overdue")
                % {**entry, "due": _day(entry["due_date"])}
            )
        if len(entries) > CHASE_LIST_LIMIT:
            lines.append(_("… and %(count)d more") % {"count": len(entries) - CHASE_LIST_LIMIT})
        lines.append(_("Remind them in two taps: %(url)s") % {"url": remind_url(unit_id)})
    return subject, "\n".join(lines)


def digest(name, today, rows):
    """``rows``: ``[(unit name, total, completed, overdue)]``, one per sub-branch."""
    subject = _("Weekly training digest, %(date)s") % {"date": _day(today)}
    lines = [
        _("Hello %(name)s,") % {"name": name},
        "",
        _("Completion of the published plans by sub-branch:"),
    ]
    for unit_name, total, completed, overdue_count in rows:
        percent = int(completed * 100 / total) if total else 0
        lines.append(
            _("- %(unit)s: %(completed)d of %(total)d done (%(percent)d%%), %(overdue)d overdue")
            % {
                "unit": unit_name,
                "completed": completed,
                "total": total,
                "percent": percent,
                "overdue": overdue_count,
            }
        )
    lines += ["", _("Details: %(url)s") % {"url": absolute(admin_path())}]
    return subject, "\n".join(lines)


def email_subject(subjects):
    """The subject of one email carrying the reminders ``subjects`` (one or more), with the
    site's name in front, e.g. 【消保学堂】."""
    site = _("CP-LMS")
    if len(subjects) == 1:
        return _("[%(site)s] %(subject)s") % {"site": site, "subject": subjects[0]}
    return ngettext(
        "[%(site)s] %(count)d training reminder",
        "[%(site)s] %(count)d training reminders",
        len(subjects),
    ) % {"site": site, "count": len(subjects)}
