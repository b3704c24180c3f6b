"""Usernames become unique whatever their case: "Casey" and "casey" cannot both exist.

Accounts made before may already clash (two sign-ups at the same moment could make both). The
constraint cannot be added over them, so the migration first looks, and stops with the names
and what to do rather than with the database's IntegrityError.
"""

from collections import defaultdict

from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def refuse_usernames_that_clash(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    # The database's lower(), as the constraint's index has it (SQLite's folds ASCII only).
    clashing = (
        User.objects.values(folded=Lower("username"))
        .annotate(accounts=Count("pk"))
        .filter(accounts__gt=1)
        .values_list("folded", flat=True)
    )
    groups = defaultdict(list)
    for pk, username, folded in (
        User.objects.annotate(folded=Lower("username"))
        .filter(folded__in=list(clashing))
        .order_by("folded", "pk")
        .values_list("pk", "username", "folded")
    ):
        groups[folded].append(f"{username!r} (id {pk})")
    if groups:
        lines = "\n".join(f"  {', '.join(names)}" for names in groups.values())
        raise CommandError(
            "Usernames are now unique whatever their case, but these accounts differ only in "
            f"case:\n{lines}\nRename all but one account of each line (in the admin, under "
            "Users), then run migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_customer_country_code"),
    ]

    operations = [
        migrations.RunPython(refuse_usernames_that_clash, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_ignoring_case",
                violation_error_message="A user with that username already exists.",
            ),
        ),
    ]
