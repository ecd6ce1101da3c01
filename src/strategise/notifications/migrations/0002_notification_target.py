# Notifications point at a kind of record and its key (strategise.links.Target) instead of
# storing a URL, so that a page can move without stored notifications going stale.

import re

from django.db import migrations, models

# The only links notifications were ever given, as the pages' URLs were when this was
# written (frozen here: the URLconf may change after it).
LINKS = (
    (re.compile(r"^/discussions/(\d+)/clocks/$"), "discussion-clocks", "/discussions/{}/clocks/"),
    (re.compile(r"^/discussions/(\d+)/$"), "discussion", "/discussions/{}/"),
    (re.compile(r"^/requests/(\d+)/$"), "request", "/requests/{}/"),
    (re.compile(r"^/disagreements/(\d+)/$"), "disagreement", "/disagreements/{}/"),
    (re.compile(r"^/my-work/$"), "my-work", "/my-work/"),
)


def links_to_targets(apps, schema_editor):
    """Each stored link becomes the kind and key it pointed at; a link that is none of
    those above (none was ever written) points at nothing, as a blank link did."""
    Notification = apps.get_model("notifications", "Notification")
    for notification in Notification.objects.exclude(link="").only("pk", "link").iterator():
        for pattern, kind, _ in LINKS:
            found = pattern.match(notification.link)
            if found:
                notification.target_kind = kind
                notification.target_key = int(found.group(1)) if found.groups() else None
                notification.save(update_fields=["target_kind", "target_key"])
                break


def targets_to_links(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    paths = {kind: path for _, kind, path in LINKS}
    for notification in Notification.objects.exclude(target_kind="").iterator():
        notification.link = paths[notification.target_kind].format(notification.target_key)
        notification.save(update_fields=["link"])


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="target_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("request", "request"),
                    ("discussion", "discussion"),
                    ("discussion-clocks", "discussion-clocks"),
                    ("disagreement", "disagreement"),
                    ("my-work", "my-work"),
                ],
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="target_key",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(links_to_targets, targets_to_links),
        migrations.RemoveField(
            model_name="notification",
            name="link",
        ),
    ]
