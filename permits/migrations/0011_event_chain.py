"""Every file event becomes a link of the hash chain (trail.chain): seq, prev_hash, hash.

Events written before are chained in (created_at, id) order, one pass over the table read
and written a chunk at a time, so memory stays constant however many there are; then seq
becomes required and unique, and the chain head points at the last of them.
"""

from django.db import migrations, models

CHUNK = 2000


def _write(connection, table, rows):
    """Set (seq, prev_hash, hash) of each (id, seq, prev_hash, hash) in ``rows``."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement per chunk: executemany would be a round trip per row.
            values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
            cursor.execute(
                f"UPDATE {quoted} AS e SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash "
                f"FROM (VALUES {values}) AS v(id, seq, prev_hash, hash) WHERE e.id = v.id",
                [value for row in rows for value in row],
            )
        else:
            cursor.executemany(
                f"UPDATE {quoted} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [(seq, prev, digest, pk) for pk, seq, prev, digest in rows],
            )


def chain_backfill(apps, schema_editor):
    """Chain the events that exist, oldest first (created_at, then id), from GENESIS."""
    from trail.chain import GENESIS, event_hash

    event_model = apps.get_model("permits", "ApplicationEvent")
    head_model = apps.get_model("trail", "ChainHead")
    connection = schema_editor.connection
    alias = connection.alias
    table = event_model._meta.db_table
    if connection.vendor == "postgresql":
        # Migrating again after a rollback: the refusing trigger (installed after each
        # migrate) would stop these updates; post_migrate installs it again.
        with connection.cursor() as cursor:
            cursor.execute(
                f"DROP TRIGGER IF EXISTS trail_append_only ON {connection.ops.quote_name(table)}"
            )
    seq, prev, pending = 0, GENESIS, []
    events = event_model.objects.using(alias).order_by("created_at", "id")
    for event in events.iterator(chunk_size=CHUNK):
        seq += 1
        event.seq, event.prev_hash = seq, prev
        event.hash = prev = event_hash(event)
        pending.append((event.pk, seq, event.prev_hash, event.hash))
        if len(pending) == CHUNK:
            _write(connection, table, pending)
            pending = []
    if pending:
        _write(connection, table, pending)
    head_model.objects.using(alias).update_or_create(pk=1, defaults={"seq": seq, "hash": prev})


class Migration(migrations.Migration):
    dependencies = [
        ("permits", "0010_application_held_since_and_more"),
        ("trail", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicationevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="applicationevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="applicationevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_backfill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="applicationevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, unique=True),
        ),
    ]
