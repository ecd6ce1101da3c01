# Alleged perpetrators were typed as free text; now they are chosen from (or added as)
# recorded adults. An alleged perpetrator typed before is linked to the adult recorded in
# the same authority under exactly that name (case and spacing aside) when there is one
# and only one; what was typed stays as it was in ``name``, so nothing is lost, and a name
# that matches no adult (or several) is kept as text, shown as it was typed. Each adult
# linked is recorded as the alleged perpetrator of the request's children.

from django.db import migrations


def _key(text):
    return " ".join(text.split()).lower()


def link_typed_names(apps, schema_editor):
    AllegedPerpetrator = apps.get_model("requests", "AllegedPerpetrator")
    Adult = apps.get_model("cases", "Adult")
    ChildAdultLink = apps.get_model("cases", "ChildAdultLink")
    RequestChild = apps.get_model("requests", "RequestChild")
    named = AllegedPerpetrator.objects.filter(adult__isnull=True).exclude(name="")
    for perpetrator in named.select_related("request"):
        authority = perpetrator.request.local_authority_id
        wanted = _key(perpetrator.name)
        matches = [
            adult
            for adult in Adult.objects.filter(local_authority_id=authority)
            if _key(f"{adult.first_name} {adult.last_name}") == wanted
        ]
        if len(matches) != 1:
            continue
        adult = matches[0]
        perpetrator.adult = adult
        perpetrator.save(update_fields=["adult"])
        for child_id in RequestChild.objects.filter(request=perpetrator.request).values_list(
            "child_id", flat=True
        ):
            ChildAdultLink.objects.get_or_create(
                child_id=child_id, adult=adult, relationship="alleged_perpetrator"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0002_allocated_worker_and_ending"),
        ("cases", "0004_people_around_the_child"),
    ]

    operations = [
        migrations.RunPython(link_typed_names, migrations.RunPython.noop),
    ]
