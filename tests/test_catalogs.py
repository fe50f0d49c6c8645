"""Our zh_Hans catalogs agree with each other and never override Wagtail's or Django's words.

Django merges every installed app's catalog into one: for a msgid in two catalogs the app listed
first in INSTALLED_APPS wins, and ours come before Wagtail's. So a context-free msgid of ours
("Previous", "Type", …) replaces Wagtail's and Django's translation of the same msgid everywhere,
the admin included, and one of our apps' replaces another's (courses' lesson page read 上一题,
the quizzes' word). Where one English word means different things we use a message context
(``pgettext``, ``{% translate "…" context "…" %}``); these tests keep it that way.
"""

import ast
import re
import subprocess
from pathlib import Path

import django
import pytest
import wagtail
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Page

from tests.factories import UserFactory, lessons_of, make_catalog, make_course

ROOT = Path(__file__).resolve().parents[1]
OUR_CATALOGS = [
    ROOT / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    for app in ("quizzes", "courses", "lms", "config/demo", "bench", "config")
]
DJANGO = Path(django.__file__).parent
WAGTAIL = Path(wagtail.__file__).parent
THEIR_CATALOGS = sorted(
    [
        *WAGTAIL.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"),
        DJANGO / "conf" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po",
        *(DJANGO / "contrib").glob("**/locale/zh_Hans/LC_MESSAGES/django.po"),
    ]
)

#: Context-free msgids of ours that may translate differently from Wagtail's or Django's, each
#: with the reason. Keep it short: a different meaning needs a message context instead.
ALLOWED_OVERRIDES = {}

ENTRY_FIELD = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


def parse_po(path):
    """``{(msgctxt or None, msgid): (msgstr, …)}`` of ``path``'s entries (obsolete ones left
    out; a fuzzy entry has no translation: msgfmt leaves it out of the .mo)."""
    entries = {}
    entry, field, fuzzy = {}, None, False

    def flush():
        nonlocal entry, field, fuzzy
        if entry.get("msgid"):
            strings = tuple(value for key, value in sorted(entry.items()) if key[:6] == "msgstr")
            entries[(entry.get("msgctxt"), entry["msgid"])] = () if fuzzy else strings
        entry, field, fuzzy = {}, None, False

    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#,"):
            if "msgid" in entry:
                flush()
            fuzzy = fuzzy or "fuzzy" in line
            continue
        if not line or line.startswith("#"):
            if not line:
                flush()
            continue
        match = ENTRY_FIELD.match(line)
        if match:
            if match[1] in ("msgctxt", "msgid") and any(key[:6] == "msgstr" for key in entry):
                was_fuzzy = fuzzy
                flush()
                fuzzy = was_fuzzy
            field = match[1]
            entry[field] = ast.literal_eval(match[2])
        elif line.startswith('"') and field:
            entry[field] += ast.literal_eval(line)
    flush()
    return entries


def translated(strings):
    return bool(strings) and all(strings)


def ours():
    """``{app directory: entries}`` of our catalogs (the override catalog ``config`` once it
    exists)."""
    return {
        path.relative_to(ROOT).parents[3].as_posix(): parse_po(path)
        for path in OUR_CATALOGS
        if path.exists()
    }


def test_the_parser_reads_contexts_plurals_continuations_and_fuzzy(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        'msgctxt "course step"\nmsgid "Next"\nmsgstr "下一课"\n\n'
        'msgid "%(counter)s Page"\nmsgid_plural "%(counter)s Pages"\n'
        'msgstr[0] "%(counter)s 个页面"\n\n'
        '#, fuzzy\nmsgid "Type"\nmsgstr "题型"\n\n'
        'msgid ""\n"Two "\n"lines"\nmsgstr "两\\"行\\""\n\n'
        '#~ msgid "Old"\n#~ msgstr "旧"\n',
        encoding="utf-8",
    )
    assert parse_po(po) == {
        ("course step", "Next"): ("下一课",),
        (None, "%(counter)s Page"): ("%(counter)s 个页面",),
        (None, "Type"): (),
        (None, "Two lines"): ('两"行"',),
    }


def test_our_catalogs_translate_each_msgid_the_same_way():
    seen = {}
    for name, entries in ours().items():
        for key, strings in entries.items():
            if translated(strings):
                seen.setdefault(key, {})[name] = strings
    clashes = {
        f"{key[0] + ' | ' if key[0] else ''}{key[1]}": by_catalog
        for key, by_catalog in seen.items()
        if len(set(by_catalog.values())) > 1
    }
    assert not clashes, f"translated differently by our catalogs (add a context): {clashes}"


def test_our_context_free_msgids_do_not_override_wagtail_or_django():
    theirs = {}
    for path in THEIR_CATALOGS:
        for key, strings in parse_po(path).items():
            if key[0] is None and translated(strings):
                theirs.setdefault(key[1], {})[str(path.parent.parent.parent.parent)] = strings
    assert len(theirs) > 1000, "Wagtail's and Django's zh_Hans catalogs were not found"
    clashes = []
    for name, entries in ours().items():
        for (context, msgid), strings in entries.items():
            if context is not None or msgid in ALLOWED_OVERRIDES or msgid not in theirs:
                continue
            for where, their_strings in theirs[msgid].items():
                if their_strings != strings:
                    short = where.split("site-packages/")[-1]
                    clashes.append(f"{name}: {msgid!r} → {strings} but {short}: {their_strings}")
    assert not clashes, "\n".join(["give these a message context:", *clashes])


def test_the_allow_list_names_only_real_overrides_with_a_reason():
    msgids = {msgid for entries in ours().values() for context, msgid in entries if not context}
    for msgid, reason in ALLOWED_OVERRIDES.items():
        assert msgid in msgids and len(reason) > 20, msgid


# --- Rendered pages -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_lesson_page_says_previous_and_next_lesson(client):
    course = make_course(make_catalog(), title="销售过程消保", slug="sales", lessons=3)
    client.force_login(UserFactory(username="100001"))
    html = client.get(lessons_of(course)[1].url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "‹ 上一课</a>" in html and "下一课 ›</a>" in html
    assert "上一题" not in html and "上一页" not in html


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("root", "root@bank.example", "x")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_an_admin_listing_paginates_with_wagtails_words(admin_client):
    get_user_model().objects.bulk_create(
        get_user_model()(username=f"user{number:03d}") for number in range(60)
    )
    html = admin_client.get("/admin/users/?p=2").content.decode()
    assert "上一个" in html and "下一个" in html
    for ours_word in ("上一题", "上一课", "上一页", "下一课", "下一页"):
        assert ours_word not in html, ours_word


def test_the_page_explorer_type_column_is_wagtails(admin_client):
    course = make_course(make_catalog(), title="销售过程消保", slug="sales", lessons=2)
    html = admin_client.get(f"/admin/pages/{course.pk}/").content.decode()
    headers = re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)
    assert any("类型" in header for header in headers), headers
    assert "题型" not in html


# --- The override catalog: Wagtail's untranslated strings -------------------------------------

OVERRIDE = ROOT / "config" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_override_catalog_only_fills_what_wagtail_and_django_leave_untranslated(tmp_path):
    """LOCALE_PATHS win over every catalog: the override must not replace a word Wagtail or
    Django translate; each of its msgids is one they use (in their source catalog), complete
    and compiled."""
    english = {}
    for path in [
        *WAGTAIL.glob("**/locale/en/LC_MESSAGES/django.po"),
        *(DJANGO / "contrib").glob("**/locale/en/LC_MESSAGES/django.po"),
    ]:
        english.update(parse_po(path))
    theirs = {}
    for path in THEIR_CATALOGS:
        theirs.update({key: s for key, s in parse_po(path).items() if translated(s)})
    override = parse_po(OVERRIDE)
    assert len(override) > 50
    assert all(translated(strings) for strings in override.values())
    assert not set(override) - set(english), "not a Wagtail/Django msgid"
    assert not set(override) & set(theirs), "translated by Wagtail/Django already"
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(OVERRIDE)], check=True)  # noqa: S603,S607
    assert OVERRIDE.with_suffix(".mo").read_bytes() == fresh.read_bytes(), "run `make messages`"


def test_the_admin_dashboard_and_editor_are_in_chinese(admin_client):
    course = make_course(make_catalog(), title="销售过程消保", slug="sales", lessons=2)
    html = admin_client.get("/admin/").content.decode()
    pages = Page.objects.get(pk=course.get_parent().get_parent().pk).get_descendants(True).count()
    assert f"{pages} 个页面 <span" in html and 'placeholder="搜索所有页面…"' in html
    assert "Search all pages" not in html and " Pages " not in html
    html = admin_client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert "被引用 0 次" in html and "Referenced" not in html
    html = admin_client.get(f"/admin/pages/{course.pk}/").content.decode()
    assert "页面类型" in html and "更新日期" in html and "Page type" not in html
