# The issues of this round were built in parallel, each migration from 0005; this node joins them.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_disclosure_public_values"),
        ("cases", "0007_research_provenance_double_coding"),
        ("cases", "0008_releases"),
        ("cases", "0009_case_public_id"),
        ("cases", "0010_outgoing_email"),
        ("cases", "0012_moderation_event_snapshot"),
    ]
    operations = []
