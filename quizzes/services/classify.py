"""Classification questions (分类题): a short complaint case the learner classifies on the three
dimensions of JR/T 0169-2018 — A channel, B business category, C complaint reason — picking one
code per dimension.

* **Snapshot**: the entry's ``choices`` are the codes offered, in tree order, one "choice" per
  code (``id`` is the code's pk) with ``dimension``, ``code``, ``depth`` and ``correct`` (the
  key). The codes offered are the active codes at the time the paper is drawn, plus the key's
  codes should one have been retired since. Everything else (redaction before final, review,
  feedback) works as for the other choice types, because the key is the ``correct`` flags.
* **Answer**: ``Answer.choice_ids`` holds the picked codes' ids, at most one per dimension; a
  dimension left empty is simply not in the list.
* **Marking**: each dimension is worth a third of the points; a dimension scores only when the
  exact code of the key is picked (a parent or child of it is wrong: the standard asks for the
  precise code). The answer is correct when all three are.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from ..exceptions import InvalidAnswer
from ..models import ClassificationCode, Question

DIMENSIONS = [dimension for dimension, _label in ClassificationCode.DIMENSION_CHOICES]
CENT = Decimal("0.01")
# Indentation of a code's name per level of the tree (an ideographic space reads well in a
# <select> on a phone, where padding is ignored).
INDENT = "\u3000"


def code_options(extra_ids=()):
    """The codes a classification question offers, in tree order: ``[(code, depth)]`` of the
    active codes and those of ``extra_ids`` (a key's codes, even if retired since). One
    query."""
    codes = list(
        ClassificationCode.objects.filter(is_active=True)
        | ClassificationCode.objects.filter(pk__in=list(extra_ids))
    )
    children = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    known = {code.pk for code in codes}
    ordered = []

    def walk(parent_id, depth):
        for code in sorted(children.get(parent_id, []), key=lambda c: (c.sort_order, c.code)):
            ordered.append((code, depth))
            walk(code.pk, depth + 1)

    # Roots, and codes whose parent is not offered (a retired parent), start a tree.
    roots = [c for c in codes if c.parent_id is None or c.parent_id not in known]
    for root in sorted(roots, key=lambda c: (c.dimension, c.sort_order, c.code)):
        ordered.append((root, 0))
        walk(root.pk, 1)
    return sorted(ordered, key=lambda item: DIMENSIONS.index(item[0].dimension))


def snapshot_choices(question, options):
    """The snapshot ``choices`` of a classification ``question`` from ``code_options``."""
    key = {code.pk for code in question.classify_key().values() if code is not None}
    return [
        {
            "id": code.pk,
            "text": code.name,
            "code": code.code,
            "dimension": code.dimension,
            "depth": depth,
            "correct": code.pk in key,
            "feedback": "",
        }
        for code, depth in options
    ]


def clean_picks(entry, choice_ids):
    """The picked code ids of an answer to the classification ``entry``, sorted; at most one
    per dimension (``InvalidAnswer`` otherwise)."""
    dimension_of = {c["id"]: c["dimension"] for c in entry["choices"]}
    picked = sorted(set(choice_ids))
    if not set(picked) <= set(dimension_of):
        raise InvalidAnswer(_("A chosen option does not belong to this question."))
    dimensions = [dimension_of[pk] for pk in picked]
    if len(dimensions) != len(set(dimensions)):
        raise InvalidAnswer(_("Choose one code per dimension."))
    return picked


def grade_classify(entry, picked):
    """Points and correctness: a third of the points per dimension whose exact code was
    picked; correct when all three were."""
    points = Decimal(entry["points"])
    right = sum(1 for c in entry["choices"] if c["correct"] and c["id"] in set(picked))
    earned = (points * right / len(DIMENSIONS)).quantize(CENT, rounding=ROUND_HALF_UP)
    return earned, right == len(DIMENSIONS)


def dimension_groups(choices, chosen=(), reveal=False):
    """The choices of a classification question grouped by dimension, for a template or the
    API: ``[{dimension, label, options, picked, key, right}]``. ``options`` are
    ``{id, text, code, label, selected}`` (``label`` is the name indented by its depth);
    ``key`` and ``right`` are only filled when ``reveal`` (after final, as review allows)."""
    labels = dict(ClassificationCode.DIMENSION_CHOICES)
    chosen = set(chosen or ())
    groups = []
    for dimension in DIMENSIONS:
        options = [c for c in choices if c.get("dimension") == dimension]
        picked = next((c for c in options if c["id"] in chosen), None)
        key = next((c for c in options if c.get("correct")), None) if reveal else None
        groups.append(
            {
                "dimension": dimension,
                "label": labels[dimension],
                "options": [
                    {
                        "id": c["id"],
                        "text": c["text"],
                        "code": c["code"],
                        "label": INDENT * c.get("depth", 0) + c["text"],
                        "selected": c["id"] in chosen,
                    }
                    for c in options
                ],
                "picked": picked,
                "key": key,
                "right": bool(reveal and key and picked and key["id"] == picked["id"]),
            }
        )
    return groups


# --- Item analysis (read by ``analytics``) ---------------------------------------------------


@dataclass(frozen=True)
class DimensionStatistics:
    """One dimension of a classification question: the key's ``code``, how many picked it
    (``right``, and as a ``share`` of the attempts presenting the question), and the most
    frequent wrong pick (``wrong_code``, ``wrong_name``, ``wrong_picks``; ties go to the code
    first in the tree, none when nobody picked a wrong code)."""

    dimension: str
    label: str
    code: str
    name: str
    right: int
    share: float | None
    wrong_code: str = ""
    wrong_name: str = ""
    wrong_picks: int = 0


def dimension_statistics(entry, picks, presented):
    """Per dimension of a classification question, from the code picks (see
    ``DimensionStatistics``)."""
    labels = dict(ClassificationCode.DIMENSION_CHOICES)
    result = []
    for dimension in DIMENSIONS:
        codes = [c for c in entry.get("choices", []) if c.get("dimension") == dimension]
        key = next((c for c in codes if c["correct"]), None)
        if key is None:
            continue
        wrong = max(
            (c for c in codes if c["id"] != key["id"] and picks.get(c["id"])),
            key=lambda c: picks[c["id"]],
            default=None,
        )
        result.append(
            DimensionStatistics(
                dimension=dimension,
                label=str(labels[dimension]),
                code=key["code"],
                name=key["text"],
                right=picks.get(key["id"], 0),
                share=picks.get(key["id"], 0) / presented if presented else None,
                wrong_code=wrong["code"] if wrong else "",
                wrong_name=wrong["text"] if wrong else "",
                wrong_picks=picks[wrong["id"]] if wrong else 0,
            )
        )
    return result


def is_classify(entry):
    return entry["type"] == Question.CLASSIFY
