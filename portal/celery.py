"""The Celery application.

Tasks subclass Celery's ``DjangoTask``, so ``task.delay_on_commit(...)`` enqueues only
once the surrounding transaction has committed: a worker never sees a row that a rollback
took back. Without ``REDIS_URL`` the settings make every task run in process. A task
enqueued during a request carries the request's id into the worker's log lines
(``core.requestid``); the queues and the routes are in the settings.
"""

import os

from celery import Celery, signals

from core import requestid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("terang", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

signals.before_task_publish.connect(requestid.task_publish_headers, weak=False)
signals.task_prerun.connect(requestid.task_started, weak=False)
signals.task_postrun.connect(requestid.task_finished, weak=False)
