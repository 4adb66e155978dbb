"""The database cache table: rate limits live there when REDIS_URL is not set.

Created by `migrate` whatever CACHES says today, so that a node started without Redis
later (or the test suite's production-cache tests) finds it in place.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "tc_cache"  # settings.CACHE_TABLE


def create_table(apps, schema_editor):
    # createcachetable skips a table that already exists (made by hand on an old node).
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_table, drop_table)]
