from django.db import migrations, models


def create_the_row(apps, schema_editor):
    apps.get_model("lms_courses", "ContentGeneration").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("lms_courses", "0004_lesson_reading_time"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=0, verbose_name="generation")),
            ],
            options={
                "verbose_name": "content generation",
                "verbose_name_plural": "content generations",
            },
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
