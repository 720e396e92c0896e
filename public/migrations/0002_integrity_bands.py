"""The integrity index's default bands (after KPK's SPI): below 73 rentan, 73 to 77.9
waspada, 78 and above terjaga. Data: the admin may change them."""

from decimal import Decimal

from django.db import migrations

BANDS = (("rentan", "Rentan", Decimal("0")), ("waspada", "Waspada", Decimal("73")),
         ("terjaga", "Terjaga", Decimal("78")))


def add_bands(apps, schema_editor):
    IntegrityBand = apps.get_model("public", "IntegrityBand")
    for code, label, lower in BANDS:
        IntegrityBand.objects.get_or_create(code=code, defaults={"label": label, "lower": lower})


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]

    operations = [migrations.RunPython(add_bands, migrations.RunPython.noop)]
