"""gunicorn settings for cledss: ``gunicorn -c python:cledss.gunicorn_conf cledss.wsgi``.

Read from the environment: ``GUNICORN_BIND`` (or ``PORT``, bound on 127.0.0.1; default
127.0.0.1:8000), ``WEB_CONCURRENCY`` (worker processes; default 2 x cores + 1) and
``GUNICORN_THREADS`` (threads per worker; default 16). A hospital's HTTPS proxy sits in front.

Sizing (bench/load.py; bench/README.md has the runs behind each choice). cledss's requests are
CPU-bound and short: a kept result page, API answer or form costs a few milliseconds, one drawn
afresh a few tens, a PDF typeset by Typst some tens more, all in the request. Processes, not
threads, use the cores (each holds Python's lock while it computes), so there are 2 x cores + 1
workers: one computing per core and the others ready. Each worker computes one request at a time
and takes the next connection only when it is idle (cledss/gunicorn_worker.py), so a request waits
in the kernel's queue for the first free worker rather than behind others in a busy one. Measured
in one run against gunicorn's stock sync worker (which takes connections the same way), it served
half as many requests again with a shorter tail, and against stock gthread (which takes every
connection it is offered) it kept the tail at a third. Keep-alive is off because a kept-alive
connection would stay with the worker that took it, busy or not. Memory, not CPU, bounds workers
beyond that: each keeps its own pages (CLEDSS_PAGE_CACHE_ENTRIES of them, 70 KB each on average)
and its Typst compilers.

Query strings carry the patient's features, so nothing gunicorn logs may contain one: the
access log names the path only (``%(U)s``; never the request line ``%(r)s``, the query
``%(q)s`` or the Referer ``%(f)s``, which is the result page's full URL when its PDF link is
followed), and the error log, which names the request URI when a request fails, passes
through the same filter as Django's own log.

Django's system checks run before runserver and every ``manage.py`` command, not under gunicorn, so
each worker runs them once it has loaded the app (``post_worker_init``): an error such as a mistake in
``CLEDSS_CDS_CLIENTS`` (``cledss.interop.E001``) stops the worker's boot, and gunicorn stops with it,
rather than serving with EHRs half-trusted. This file names cledss's code by dotted path only, as
gunicorn's settings do: the worker class and the log filter.
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
