# Version history: a BotVersion per code change, and the bot's current version number.
# Existing bots get their version 1 in the next migration (data and schema changes are
# kept apart so that PostgreSQL never runs both in one transaction with pending triggers).

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bots', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='bot',
            name='version_number',
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.CreateModel(
            name='BotVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version_number', models.PositiveIntegerField()),
                ('code', models.TextField()),
                ('description', models.CharField(blank=True, default='', max_length=500)),
                ('match_count', models.PositiveIntegerField(default=0)),
                ('win_count', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('bot', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='bots.bot')),
            ],
            options={
                'ordering': ['bot', '-version_number'],
            },
        ),
        migrations.AddConstraint(
            model_name='botversion',
            constraint=models.UniqueConstraint(fields=('bot', 'version_number'), name='bots_botversion_unique_bot_version'),
        ),
        migrations.AddConstraint(
            model_name='botversion',
            constraint=models.CheckConstraint(condition=models.Q(('version_number__gte', 1)), name='bots_botversion_number_positive'),
        ),
    ]
