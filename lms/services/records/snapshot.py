"""What a backup says about its database: counts, the record chain's head, a fingerprint of the
chain key and the migrations applied, read in the caller's transaction.

A backup writes these facts into its manifest, read inside the same snapshot as the dump, so a
restore can be compared with them exactly (``lms.services.records.restore_check``). Nothing
here writes.

The key's *fingerprint* is an HMAC of a fixed label under the chain key: equal fingerprints
mean equal keys, and it tells nothing about the key (it is no more use to a forger than any
other record hash). It lets a restore say "this environment's key is not the one the records
were written under" before checking a single record."""

import hashlib
import hmac

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from courses.models import LessonProgress
from lms.models import (
    Assignment,
    Certificate,
    ChainHead,
    CheckIn,
    CompletionRecord,
    Exemption,
    OrgUnit,
    PlanItem,
    StaffProfile,
    TrainingPlan,
)
from lms.services.records.sealing import GENESIS, chain_key
from quizzes.models import Answer, Attempt

FINGERPRINT_LABEL = b"cp-lms/chain-key-fingerprint/v1"


def counted_models():
    """The models whose rows a backup counts (the evidence first)."""
    return [
        CompletionRecord,
        Certificate,
        Assignment,
        Attempt,
        Answer,
        get_user_model(),
        StaffProfile,
        OrgUnit,
        TrainingPlan,
        PlanItem,
        CheckIn,
        Exemption,
        LessonProgress,
        Page,
        get_image_model(),
        get_document_model(),
    ]


def key_fingerprint(key=None):
    """A public name of the chain key (hex): an HMAC of a fixed label under it, never the key."""
    return hmac.new(key or chain_key(), FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


def row_counts():
    """``{model label: rows}`` of the counted models."""
    return {model._meta.label: model.objects.count() for model in counted_models()}


def chain_head():
    """The chain head as stored (count, last hash, seal present) and the newest record's id and
    hash: what a restore recomputes under its own key."""
    head = ChainHead.objects.filter(pk=1).first()
    newest = CompletionRecord.objects.order_by("-pk").values("pk", "hash").first()
    return {
        "count": head.count if head else 0,
        "last_hash": head.last_hash if head else GENESIS,
        "sealed": bool(head and head.seal),
        "newest_record": newest["pk"] if newest else None,
        "newest_hash": newest["hash"] if newest else None,
    }


def applied_heads(using=connection):
    """The newest applied migration of each app line, as sorted ``"app.name"`` strings: a
    migration applied none of whose applied children is of its app (squashed migrations
    count as their squash, as Django's loader sees them)."""
    loader = MigrationLoader(using, ignore_no_migrations=True)
    graph, applied = loader.graph, set(loader.applied_migrations)
    heads = []
    for key in applied & set(graph.nodes):
        children = graph.node_map[key].children
        if not any(child in applied and child[0] == key[0] for child in children):
            heads.append(f"{key[0]}.{key[1]}")
    return sorted(heads)


def unapplied_migrations(using=connection):
    """Migrations this code has that the database has not applied (``manage.py migrate``)."""
    loader = MigrationLoader(using, ignore_no_migrations=True)
    applied = set(loader.applied_migrations)
    return sorted(f"{app}.{name}" for app, name in loader.graph.nodes if (app, name) not in applied)


def backup_facts():
    """Everything the manifest records about the database, read in the current transaction."""
    return {
        "counts": row_counts(),
        "chain": chain_head(),
        "chain_key_fingerprint": key_fingerprint(),
        "migrations": applied_heads(),
    }
