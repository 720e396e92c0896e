import datetime

from django.db import migrations

# Mon–Thu 08:00–15:30, Fri 08:00–15:00; Saturday and Sunday closed.
DEFAULT_HOURS = {
    0: (datetime.time(8), datetime.time(15, 30)),
    1: (datetime.time(8), datetime.time(15, 30)),
    2: (datetime.time(8), datetime.time(15, 30)),
    3: (datetime.time(8), datetime.time(15, 30)),
    4: (datetime.time(8), datetime.time(15)),
}


def create_default_hours(apps, schema_editor):
    ServiceHours = apps.get_model("worktime", "ServiceHours")
    for weekday in range(7):
        opens, closes = DEFAULT_HOURS.get(weekday, (datetime.time(8), datetime.time(15, 30)))
        ServiceHours.objects.get_or_create(
            weekday=weekday,
            defaults={"opens": opens, "closes": closes, "is_open": weekday in DEFAULT_HOURS},
        )


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]

    operations = [migrations.RunPython(create_default_hours, migrations.RunPython.noop)]
