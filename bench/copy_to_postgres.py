"""Copy a bench SQLite database into an empty, migrated PostgreSQL database.

`python bench/copy_to_postgres.py bench/data/bench-10x.sqlite3` with DATABASE_URL set to
the PostgreSQL database. Much faster than generating the scale data again (bench_data
builds every row in Python): each table goes over with COPY, in one transaction with the
foreign keys deferred, then the sequences are reset and the search index is rebuilt
(its SQLite full-text tables have no PostgreSQL twin). Same rows as the SQLite run, so
both databases measure the same data.
"""

import os
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trainingcenter.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402

SKIP = {"django_migrations"}


def main(source):
    assert connection.vendor == "postgresql", "DATABASE_URL must point at PostgreSQL"
    started = time.perf_counter()
    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    lite_tables = {
        row[0] for row in lite.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if t not in SKIP]
    copied = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        for table in tables:
            if table not in lite_tables:
                continue
            pg_columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            lite_columns = {row[1] for row in lite.execute(f'PRAGMA table_info("{table}")')}
            columns = [c for c in pg_columns if c in lite_columns]
            names = ", ".join(f'"{c}"' for c in columns)
            rows = lite.execute(f'SELECT {names} FROM "{table}"')
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    copied += 1
        models = list(apps.get_models(include_auto_created=True))
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    call_command("rebuild_search_index")
    sys.stdout.write(f"copied {copied:,} rows in {time.perf_counter() - started:.0f} s\n")


if __name__ == "__main__":
    main(sys.argv[1])
