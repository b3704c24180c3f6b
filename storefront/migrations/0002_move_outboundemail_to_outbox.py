"""The e-mail outbox leaves the project package for its own app, `outbox`, keeping every row.

The table is renamed in place to the name the outbox app gives it (`outbox_outboundemail`), then
the model leaves this app's migration state without touching the database. `outbox`'s first
migration takes the model into its state, again without touching the database, and moves the
content type and the queued delivery tasks along (see outbox/migrations/0001_initial.py).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("storefront", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="OutboundEmail", table="outbox_outboundemail"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboundEmail")],
            database_operations=[],
        ),
    ]
