"""Quizzes and questions that existed before revisions and the approval workflow stay live
(``live`` defaults to true) and are dated as published when they were last saved, so the admin
shows them as published, not as never-published drafts. Their review policy is left as it was:
only new quizzes default to "when done"."""

from django.db import migrations
from django.db.models import F


def date_as_published(apps, schema_editor):
    for name in ("Quiz", "Question"):
        model = apps.get_model("lms_quizzes", name)
        model.objects.filter(live=True, first_published_at__isnull=True).update(
            first_published_at=F("created_at"), last_published_at=F("updated_at")
        )


class Migration(migrations.Migration):
    dependencies = [("lms_quizzes", "0003_exam_room_rules_overrides_practice_revisions")]

    operations = [migrations.RunPython(date_as_published, migrations.RunPython.noop)]
