"""gunicorn's settings for Terang's web containers (docker-compose.yml).

Terang writes its own access line per request, as JSON with the request's id
(core.requestid), so gunicorn's is off. When a worker exits, its share of the Prometheus
request metrics is closed (prometheus_client's multiprocess mode, PROMETHEUS_MULTIPROC_DIR).
"""

import os

accesslog = None
# A stopping container finishes the requests it holds (Caddy sends new ones elsewhere).
graceful_timeout = 25


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
