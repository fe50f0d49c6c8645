"""The rules of the classification codes (JR/T 0169-2018 and the bank's own sub-codes) and of
content tagged with them.

A code's key says where it sits: ``C.5.1`` is below ``C.5``, and every code below ``C.5`` starts
with ``C.5.``. The seeded keys are built that way and a bank's sub-code must be (see
``code_errors``), so "this code and its descendants" is one prefix query (``matching_codes``),
never a walk up the tree. Codes from the standard keep their key, name and place: the bank can
only deactivate them. A code is deleted only when nothing refers to it: no content tagged with
it, no sub-code, no complaint (``deletion_blocker``)."""

import re
from collections import Counter
from dataclasses import dataclass

from django.db import router
from django.db.models import ProtectedError, Q, RestrictedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from ..models import ClassificationCode, Question

SEPARATOR = "."
#: A key of the bank's own: the parent's key and one or more further parts of letters or digits.
CODE_PATTERN = re.compile(r"[A-Z](?:\.[0-9A-Z]+)+")
#: Fields the bank never changes on a code from the standard.
STANDARD_FIELDS = ("code", "name", "parent", "dimension", "sort_order")
#: Fields fixed once a code exists: its key is stable, so its place in the tree is too.
STABLE_FIELDS = ("code", "parent", "dimension")
INDENT = "\u3000"  # an ideographic space: indents a sub-code in a list of choices


def normalize_code(text):
    """A key as stored: upper case, no spaces, full-width dots and letters made plain."""
    return re.sub(r"\s+", "", text or "").upper().replace("．", ".").replace("。", ".")


def tree_key(code):
    """Sort key putting codes in tree order: ``C.2`` before ``C.10``, ``C.5.1`` right after
    ``C.5``."""
    parts = normalize_code(code).split(SEPARATOR)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts)


def depth(code):
    """0 for a top-level code (``C.5``), 1 for ``C.5.1`` and so on."""
    return max(code.count(SEPARATOR) - 1, 0)


def _keys(codes):
    if isinstance(codes, ClassificationCode | str):
        codes = [codes]
    return [c.code if isinstance(c, ClassificationCode) else normalize_code(c) for c in codes]


def matching_codes(codes):
    """The codes ``codes`` (keys or ClassificationCode objects) and all their descendants, as a
    queryset (used as a subquery: one query in all)."""
    condition = Q(pk__in=[])
    for key in _keys(codes):
        condition |= Q(code=key) | Q(code__startswith=key + SEPARATOR)
    return ClassificationCode.objects.filter(condition)


def tagged_with(queryset, codes, field="classification_codes"):
    """The objects of ``queryset`` tagged (through ``field``) with any of ``codes`` or one of
    their descendants. A subquery on the link table, not a join: no duplicates, no DISTINCT,
    the queryset's ordering kept."""
    relation = queryset.model._meta.get_field(field)
    through = relation.remote_field.through
    links = through.objects.filter(
        **{f"{relation.m2m_reverse_field_name()}__in": matching_codes(codes)}
    ).values(relation.m2m_field_name())
    return queryset.filter(pk__in=links)


def content_for(codes):
    """Live, active questions of the bank tagged with ``codes`` (keys or ClassificationCode
    objects) or their descendants, e.g. ``content_for(["C.5"])`` finds a question tagged
    ``C.5.1``. The courses and lessons are ``courses.services.classification.content_for``."""
    questions = Question.objects.filter(live=True, status=Question.ACTIVE)
    return tagged_with(questions, codes)


# --- Editing the code lists ----------------------------------------------------------------


def code_errors(code, original=None):
    """What is wrong with saving ``code`` (a ClassificationCode with its new values) over
    ``original`` (the row as stored; None for a new code), as ``{field: message}``."""
    errors = {}
    if original is None:
        if code.standard:
            errors["code"] = _("Codes of the standard come with the product and are not added.")
        if code.parent_id is None:
            errors["parent"] = _(
                "Choose the code this one goes under: the bank adds its own codes below a code "
                "of the standard or of its own."
            )
        elif not code.code.startswith(code.parent.code + SEPARATOR) or not CODE_PATTERN.fullmatch(
            code.code
        ):
            errors["code"] = _(
                "A code under %(parent)s must be %(parent)s followed by a dot and letters or "
                "digits, e.g. %(example)s."
            ) % {"parent": code.parent.code, "example": f"{code.parent.code}.1"}
        return errors
    fixed = STANDARD_FIELDS if original.standard else STABLE_FIELDS
    for name in fixed:
        attname = ClassificationCode._meta.get_field(name).attname
        if getattr(code, attname) != getattr(original, attname):
            errors[name] = (
                _("A code of the standard keeps its key, name and place; only deactivate it.")
                if original.standard
                else _("A code's key and place are fixed once it exists: add a new code instead.")
            )
    if code.standard != original.standard:
        errors["standard"] = _("Whether a code comes from the standard cannot be changed.")
    return errors


def usage(code):
    """How much content is tagged with ``code`` itself, by kind: ``{verbose name plural: n}``
    for the kinds that have some (questions, courses, lessons: every model with a
    ParentalManyToManyField to the codes, found from the model's relations)."""
    counts = Counter()
    for relation in ClassificationCode._meta.get_fields():
        if not (relation.many_to_many and relation.auto_created):
            continue
        field = relation.remote_field
        count = field.remote_field.through.objects.filter(
            **{field.m2m_reverse_field_name(): code}
        ).count()
        if count:
            counts[str(relation.related_model._meta.verbose_name_plural)] += count
    return dict(counts)


def deletion_blocker(code):
    """Why ``code`` cannot be deleted (a translated sentence), or None when it can: a code of
    the standard never is; nor a code content is tagged with, nor one that sub-codes or
    complaints refer to (PROTECT, found by Django's deletion collector)."""
    if code.standard:
        return _(
            "“%(code)s” comes from the standard JR/T 0169-2018 and cannot be deleted: mark it "
            "not in use instead."
        ) % {"code": code}
    used = usage(code)
    if used:
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(used.items()))
        return _(
            "“%(code)s” cannot be deleted: %(kinds)s are tagged with it. Mark it not in use "
            "instead, or remove those tags first."
        ) % {"code": code, "kinds": kinds}
    collector = Collector(using=router.db_for_write(ClassificationCode))
    try:
        collector.collect([code])
    except (ProtectedError, RestrictedError) as error:
        blocking = getattr(error, "protected_objects", None) or getattr(
            error, "restricted_objects", ()
        )
        kinds = ", ".join(sorted({str(obj._meta.verbose_name_plural) for obj in blocking}))
        return _(
            "“%(code)s” cannot be deleted: %(kinds)s still refer to it. Mark it not in use "
            "instead, or change those first."
        ) % {"code": code, "kinds": kinds}
    return None


# --- Choosing and reading codes ------------------------------------------------------------


def code_label(code):
    """A code as a choice shows it: indented by its depth, key and name."""
    return f"{INDENT * depth(code.code)}{code.code} {code.name}"


def grouped_choices(codes):
    """``codes`` as choices grouped by dimension, each group in tree order:
    ``[(dimension label, [(pk, label), ...]), ...]``."""
    labels = dict(ClassificationCode.DIMENSION_CHOICES)
    groups = {}
    for code in sorted(codes, key=lambda c: (c.dimension, tree_key(c.code))):
        groups.setdefault(code.dimension, []).append((code.pk, code_label(code)))
    return [(labels[dimension], choices) for dimension, choices in groups.items()]


@dataclass
class CodeLookup:
    """Finds codes by key or by name for an import (all codes read once). A name the tree has
    more than once (其他) is ambiguous: the key is then needed."""

    by_code: dict
    by_name: dict

    @classmethod
    def load(cls):
        by_code, by_name = {}, {}
        for code in ClassificationCode.objects.all():
            by_code[code.code] = code
            by_name.setdefault(code.name, []).append(code)
        return cls(by_code, by_name)

    def find(self, text):
        """``(code, None)`` or ``(None, error message)`` for one key or name."""
        code = self.by_code.get(normalize_code(text))
        if code is None:
            named = self.by_name.get(text.strip(), [])
            if len(named) > 1:
                return None, _(
                    "Several classification codes are named “%(name)s” (%(codes)s): give the code."
                ) % {"name": text, "codes": ", ".join(c.code for c in named)}
            code = named[0] if named else None
        if code is None:
            return None, _("Unknown classification code “%(code)s”.") % {"code": text}
        if not code.is_active:
            return None, _("Classification code “%(code)s” is not in use.") % {"code": code}
        return code, None
