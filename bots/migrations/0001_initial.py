# Bots as they were before version history existed: one row per bot, code kept in place.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Bot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=64, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9_.\\-]{1,64}$', "A bot name is 1 to 64 characters from A-Z, a-z, 0-9, '_', '-' and '.'.")])),
                ('code', models.TextField(validators=[django.core.validators.MaxLengthValidator(100000)])),
                ('elo_rating', models.FloatField(default=1200.0)),
                ('match_count', models.PositiveIntegerField(default=0)),
                ('win_count', models.PositiveIntegerField(default=0)),
                ('is_active', models.BooleanField(default=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bots', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['name', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='bot',
            index=models.Index(fields=['-elo_rating'], name='bots_bot_rating_idx'),
        ),
        migrations.AddConstraint(
            model_name='bot',
            constraint=models.UniqueConstraint(fields=('owner', 'name'), name='bots_bot_unique_owner_name'),
        ),
    ]
