"""Re-index pseudonymised cases without the addresses written in their texts (issue 10).

``catalogue.services.search_text_of`` now indexes a pseudonymised case on its public texts only: an
address in its summary or a tool's name must not find it. Rows indexed before are brought in line here
(frozen copy of that function's rule: the public name, then the summary and each tool's name and
software, addresses removed, folded).
"""

from django.db import migrations


def reindex(apps, schema_editor):
    from cases.disclosure.links import strip_links
    from cases.text import fold

    Case = apps.get_model("cases", "Case")
    DigitalTool = apps.get_model("cases", "DigitalTool")
    for case in Case.objects.filter(disclosure="pseudonymised").only("pk", "pseudonym", "summary", "search_text"):
        tools = DigitalTool.objects.filter(case_id=case.pk).values_list("name", "software")
        texts = [strip_links(case.summary), *(strip_links(f"{name} {software}") for name, software in tools)]
        text = fold(" ".join([case.pseudonym, *texts]))
        if text != case.search_text:
            Case.objects.filter(pk=case.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [("cases", "0100_merge_parallel_work")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
