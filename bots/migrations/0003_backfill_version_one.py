# Brings a database created before versions existed forward: every bot that has no
# version yet gets version 1 carrying its current code, dated when that code was last
# saved. Bots that already have versions are left alone, so running it is always safe.

from django.db import migrations

BATCH_SIZE = 500


def create_missing_first_versions(apps, schema_editor):
    Bot = apps.get_model('bots', 'Bot')
    BotVersion = apps.get_model('bots', 'BotVersion')
    db = schema_editor.connection.alias
    # Re-query after each batch rather than hold a cursor open while inserting: the bots
    # just given a version drop out of the query, so the loop ends when none are left.
    while True:
        batch = list(Bot.objects.using(db).filter(versions__isnull=True).order_by('pk')[:BATCH_SIZE])
        if not batch:
            return
        BotVersion.objects.using(db).bulk_create(
            BotVersion(
                bot_id=bot.pk,
                version_number=1,
                code=bot.code,
                description='Version 1 (recorded when version history was introduced)',
                created_at=bot.updated_at,
            )
            for bot in batch
        )
        # 0002 added version_number with default 1; say so again in case a bot was edited since.
        Bot.objects.using(db).filter(pk__in=[bot.pk for bot in batch]).update(version_number=1)


class Migration(migrations.Migration):

    dependencies = [
        ('bots', '0002_botversion'),
    ]

    operations = [
        # Reversing keeps the rows: 0002's reversal drops the whole table anyway.
        migrations.RunPython(create_missing_first_versions, migrations.RunPython.noop),
    ]
