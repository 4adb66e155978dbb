"""The site search's index: documents and vocabulary, plus the engine's own index.

PostgreSQL: a GIN index on the weighted tsvector expression careers/search.py queries.
SQLite: an FTS5 table reading the documents table (external content), rebuilt with it.
"""

from django.db import migrations, models

FTS_TABLE = "careers_searchdocument_fts"
VECTOR = (
    "(setweight(to_tsvector('simple', title_tokens), 'A') || "
    "setweight(to_tsvector('simple', body_tokens), 'B'))"
)


def create_engine_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX careers_searchdoc_vector ON careers_searchdocument "
            f"USING GIN ({VECTOR})"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title_tokens, body_tokens, "
            "content='careers_searchdocument', content_rowid='id')"
        )


def drop_engine_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS careers_searchdoc_vector")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):

    dependencies = [
        ('careers', '0005_fact_check_corrections'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('program', 'Programs'), ('campus', 'Campuses'), ('certification', 'Certifications'), ('role', 'Careers'), ('guide', 'Career guide')], max_length=20)),
                ('language', models.CharField(max_length=10)),
                ('object_id', models.PositiveIntegerField()),
                ('url', models.CharField(max_length=300)),
                ('title', models.CharField(max_length=300)),
                ('summary', models.TextField(blank=True)),
                ('title_tokens', models.TextField()),
                ('body_tokens', models.TextField()),
                ('sort_order', models.PositiveIntegerField(default=0)),
            ],
            options={
                'ordering': ['language', 'sort_order'],
                'indexes': [models.Index(fields=['language', 'kind'], name='careers_searchdoc_lang_kind')],
            },
        ),
        migrations.CreateModel(
            name='SearchTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=10)),
                ('term', models.CharField(max_length=100)),
                ('word', models.CharField(help_text='The word shown for the term.', max_length=100)),
                ('documents', models.PositiveIntegerField()),
            ],
            options={
                'ordering': ['language', 'term'],
                'constraints': [models.UniqueConstraint(fields=('language', 'term'), name='careers_searchterm_unique_term')],
            },
        ),
        migrations.RunPython(create_engine_index, drop_engine_index, elidable=False),
    ]
