"""gunicorn settings for cledss: ``gunicorn -c python:cledss.gunicorn_conf cledss.wsgi``.

Read from the environment: ``GUNICORN_BIND`` (or ``PORT``, bound on 127.0.0.1; default
127.0.0.1:8000), ``WEB_CONCURRENCY`` (worker processes; default 2 x cores + 1) and
``GUNICORN_THREADS`` (threads per worker; default 16). A hospital's HTTPS proxy sits in front.

Requests are short and CPU-bound, so processes, not threads, use the cores, and each worker takes a
connection only when idle (cledss/gunicorn_worker.py); keep-alive is off so a connection never waits on a
busy worker. The runs behind each choice are in bench/README.md ("The tail under load").

Query strings carry the patient's features, so the access log names the path only (``%(U)s``, never
``%(r)s``, ``%(q)s`` or the Referer ``%(f)s``) and the error log passes through Django's log filter.
Each worker runs Django's system checks once it has loaded the app (``post_worker_init``), as
``manage.py`` does, so a check error such as a bad ``CLEDSS_CDS_CLIENTS`` stops gunicorn rather than
serving with EHRs half-trusted. cledss's code is named by dotted path only.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "cledss.gunicorn_worker.IdleAcceptWorker"
# A worker computes one request at a time; its threads hold the connections it has taken but not yet read.
threads = int(os.environ.get("GUNICORN_THREADS", 16))
# A stuck worker is ended after this long; the slowest request, a full-evidence PDF, takes well under a second.
timeout = 30
keepalive = 0
# cledss has no use for gunicorn's control socket, and a shared default path would collide
# between instances on one machine.
control_socket_disable = True


def post_worker_init(worker) -> None:
    # Django only: the app is loaded by now, and the checks reach cledss's own through its apps.
    from django.core import checks
    from django.core.exceptions import ImproperlyConfigured

    errors = [message for message in checks.run_checks() if message.is_serious() and not message.is_silenced()]
    if errors:
        raise ImproperlyConfigured("\n".join(str(error) for error in errors))


accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

_FORMATTER = {
    "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
    "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_strings": {"()": "cledss.logging.DropQueryStrings"}},
    "formatters": {"generic": _FORMATTER},
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["no_query_strings"],
            "stream": "ext://sys.stdout",
        },
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["no_query_strings"],
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": "INFO", "handlers": ["error"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}
