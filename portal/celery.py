"""The Celery application.

Tasks subclass Celery's ``DjangoTask``, so ``task.delay_on_commit(...)`` enqueues only
once the surrounding transaction has committed: a worker never sees a row that a rollback
took back. Without ``REDIS_URL`` the settings make every task run in process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("terang", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
