"""The outbox app takes over `OutboundEmail` from the project package, with its data.

`storefront.0002` has already renamed the table to `outbox_outboundemail`; this migration only
declares the model in the outbox's state (no SQL), then moves what still names the old home:

- the content type (and with it the permissions and admin log entries that point at it);
- delivery tasks queued before the upgrade, whose stored task path names the old module:
  a worker imports that path to run the task, so mail queued by the old code still goes out.
"""

import django.utils.timezone
from django.db import migrations, models

# Stored task paths, old → new. The worker imports these to run a queued task.
TASK_PATHS = {
    "storefront.tasks.deliver_email": "outbox.tasks.deliver_email",
    "storefront.tasks.recover_lost_email": "outbox.tasks.recover_lost_email",
}


def _move(apps, old_label, new_label, paths):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new_label, model="outboundemail").exists():
        ContentType.objects.filter(app_label=old_label, model="outboundemail").update(
            app_label=new_label
        )
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in paths.items():
        DBTaskResult.objects.filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    _move(apps, "storefront", "outbox", TASK_PATHS)


def backwards(apps, schema_editor):
    _move(apps, "outbox", "storefront", {new: old for old, new in TASK_PATHS.items()})


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        # The queue table, with its `task_path` column (there from the first migration on).
        ("django_tasks_database", "0001_initial"),
        ("storefront", "0002_move_outboundemail_to_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OutboundEmail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(help_text='Names the event that causes the mail; one each.', max_length=200, unique=True)),
                        ('to', models.EmailField(max_length=254, verbose_name='recipient')),
                        ('subject', models.CharField(max_length=255)),
                        ('text_body', models.TextField()),
                        ('html_body', models.TextField()),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('sending', 'Sending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=10)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now, help_text='Pending: the earliest next attempt. Sending: when the claim expires.')),
                        ('last_error', models.TextField(blank=True)),
                        ('claim_token', models.UUIDField(blank=True, editable=False, null=True)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('task_id', models.CharField(blank=True, editable=False, max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'verbose_name': 'outbound e-mail',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='outbound_due_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('sent_at__isnull', False), ('status', 'sent')), models.Q(('status', 'sent'), _negated=True), _connector='OR'), name='outbound_sent_has_time'), models.CheckConstraint(condition=models.Q(models.Q(('claim_token__isnull', False), ('status', 'sending')), models.Q(('status', 'sending'), _negated=True), _connector='OR'), name='outbound_sending_has_claim')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
