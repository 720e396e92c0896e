"""Seals and hourly anchors (trail.seals, trail.ChainAnchor); every row that exists of a
sealed model gets one ``baseline`` seal: it vouches for the row as it is at this migration,
not for how it was first written."""

import django.utils.timezone
from django.db import migrations, models


def rows_baseline(apps, schema_editor):
    from trail.seals import bound_models, seal_baseline

    seal, head, seal_head = (
        apps.get_model("trail", name) for name in ("Seal", "ChainHead", "SealHead")
    )
    for model in bound_models():
        try:
            frozen = apps.get_model(model._meta.app_label, model._meta.model_name)
        except LookupError:  # a model added by a later migration: sealed from its first row
            continue
        seal_baseline(
            frozen,
            seal_model=seal,
            head_model=head,
            seal_head_model=seal_head,
            label=model._meta.label_lower,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('trail', '0001_initial'),
        # Every app with a sealed model, at its state when sealing began.
        ('accounts', '0005_contact_change_code'),
        ('permits', '0014_search_terms'),
        ('integrity', '0006_flag_verdicts'),
        ('public', '0004_form_token'),
        ('issuance', '0001_initial'),
        ('worktime', '0002_default_service_hours'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChainAnchor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(unique=True, verbose_name='jam')),
                ('last_seq', models.PositiveBigIntegerField(verbose_name='nomor urut peristiwa')),
                ('head_hash', models.CharField(max_length=64, verbose_name='hash ujung rantai peristiwa')),
                ('seal_seq', models.PositiveBigIntegerField(verbose_name='nomor urut segel')),
                ('seal_hash', models.CharField(max_length=64, verbose_name='hash ujung rantai segel')),
                ('prev_hash', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64)),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='dicatat pada')),
            ],
            options={
                'verbose_name': 'jangkar rantai',
                'verbose_name_plural': 'jangkar rantai',
                'ordering': ['-at'],
            },
        ),
        migrations.CreateModel(
            name='SealHead',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                ('seq', models.PositiveBigIntegerField(default=0, verbose_name='nomor urut terakhir')),
                ('hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64, verbose_name='hash terakhir')),
            ],
            options={
                'verbose_name': 'ujung rantai segel',
                'verbose_name_plural': 'ujung rantai segel',
            },
        ),
        migrations.CreateModel(
            name='Seal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveBigIntegerField(editable=False, unique=True)),
                ('model', models.CharField(max_length=100)),
                ('row_id', models.BigIntegerField()),
                ('action', models.CharField(choices=[('create', 'dibuat'), ('change', 'diubah'), ('delete', 'dihapus'), ('baseline', 'dicatat saat penyegelan dimulai')], max_length=10)),
                ('fields', models.TextField(blank=True)),
                ('content_sha256', models.CharField(blank=True, max_length=64)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('prev_hash', models.CharField(editable=False, max_length=64)),
                ('hash', models.CharField(editable=False, max_length=64)),
            ],
            options={
                'verbose_name': 'segel rekaman',
                'verbose_name_plural': 'segel rekaman',
                'indexes': [models.Index(fields=['model', 'row_id', 'seq'], name='seal_row')],
            },
        ),
        migrations.RunPython(rows_baseline, migrations.RunPython.noop),
    ]
