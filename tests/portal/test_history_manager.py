from django.apps import apps

from core.history import HistoryManager


def test_every_model_with_history_uses_the_manager_built_once(db, make_user):
    historied = [
        m for m in apps.get_models() if hasattr(m._meta, "simple_history_manager_attribute")
    ]
    assert len(historied) >= 20
    for model in historied:
        descriptor = model.__dict__[model._meta.simple_history_manager_attribute]
        assert issubclass(descriptor.manager_class, HistoryManager), model
    first, second = make_user(username="satu"), make_user(username="dua")
    assert type(first.history) is type(second.history)


def test_history_is_still_written_and_read_per_row(db, make_user):
    officer = make_user("counter", username="loket")
    officer.full_name = "Nama Baru"
    officer.save()
    names = list(officer.history.order_by("history_id").values_list("full_name", flat=True))
    assert names[-1] == "Nama Baru"
    assert len(names) >= 2
    assert all(h.id == officer.pk for h in officer.history.all())
