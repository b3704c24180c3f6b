"""Trigram indexes for the catalog search on PostgreSQL.

`Product.objects.search()` matches words anywhere in the name or description
(`UPPER(name) LIKE '%WORD%'`), which no B-tree index can serve: on 10,000 products every
search was a full scan. pg_trgm's GIN indexes answer exactly that kind of match. They are made
here in SQL, for PostgreSQL only, because they exist for one backend and the models stay
portable; SQLite keeps scanning, which a single-machine catalog can afford.
"""

from django.db import migrations

INDEXES = {
    "product_name_trgm_idx": "UPPER(name::text)",
    "product_description_trgm_idx": "UPPER(description)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Trusted since PostgreSQL 13: the database owner may create it, no superuser needed.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON catalog_product "
            f"USING gin (({expression}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
