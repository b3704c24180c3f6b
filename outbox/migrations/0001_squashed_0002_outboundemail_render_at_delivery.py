"""The outbox's table as its first two migrations left it, in one step.

The outbox was born in the project package and moved here with its rows (the migrations this
one replaces, with the project package's own two, renamed the table and moved its content
type and queued tasks; then the mail learned to render at delivery). A database that applied
them counts this one as applied; a new one gets the table straight away. A database older
than the move migrates with a release from before this squash first (README: "Upgrading").
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('outbox', '0001_initial'),
        ('outbox', '0002_outboundemail_render_at_delivery'),
    ]

    initial = True

    dependencies = []

    operations = [
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
                ('context', models.JSONField(blank=True, default=dict, editable=False)),
                ('template', models.CharField(blank=True, editable=False, max_length=200)),
            ],
            options={
                'verbose_name': 'outbound e-mail',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='outbound_due_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('sent_at__isnull', False), ('status', 'sent')), models.Q(('status', 'sent'), _negated=True), _connector='OR'), name='outbound_sent_has_time'), models.CheckConstraint(condition=models.Q(models.Q(('claim_token__isnull', False), ('status', 'sending')), models.Q(('status', 'sending'), _negated=True), _connector='OR'), name='outbound_sending_has_claim')],
            },
        ),
    ]
