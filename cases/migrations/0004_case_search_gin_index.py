"""A GIN index for full-text search on PostgreSQL; nothing on SQLite, which has no such index.

The indexed expression is exactly the one ``cases.filters.full_text_q`` queries
(``SearchVector("search_text", config="simple")``), so the planner can use it.
"""

from django.db import migrations

INDEX = "cases_case_search_text_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_revisions_and_contributor_profiles"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
