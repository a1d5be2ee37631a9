"""gunicorn settings for cledss: ``gunicorn -c python:cledss.gunicorn_conf cledss.wsgi``.

Read from the environment: ``GUNICORN_BIND`` (or ``PORT``, bound on 127.0.0.1; default
127.0.0.1:8000), ``WEB_CONCURRENCY`` (worker processes; default 2 x cores + 1) and
``GUNICORN_THREADS`` (threads per worker; default 8). A hospital's HTTPS proxy sits in front.

Sizing (bench/load.py, bench/README.md). cledss's requests are CPU-bound and short (a kept result
page or an API answer costs a few milliseconds) except a PDF that is not kept yet, about half a
second of one core. Processes, not threads, use the cores (each holds Python's lock while it
computes), so there are 2 x cores + 1 workers: one computing per core, and the others ready while a
request reads the database or waits on its client. Each worker runs 8 threads (gthread): a thread
waiting for a PDF lane (cledss/assessment/pdf_lanes.py, half the cores) costs memory, not CPU, so
PDFs waiting their turn do not take the slots cheap pages need. On 2 cores that is 5 workers, 40
threads and one PDF lane: one core always serves pages while the other lays a PDF out. On a larger
machine the same rules scale: 8 cores give 17 workers and 4 lanes. Memory, not CPU, bounds workers
beyond that (each keeps its own result pages and PDFs, CLEDSS_PAGE_CACHE_ENTRIES of them together).

Query strings carry the patient's features, so nothing gunicorn logs may contain one: the
access log names the path only (``%(U)s``; never the request line ``%(r)s``, the query
``%(q)s`` or the Referer ``%(f)s``, which is the result page's full URL when its PDF link is
followed), and the error log, which names the request URI when a request fails, passes
through the same filter as Django's own log.
"""

import multiprocessing
import os

# Made here, in the master, so that every worker forked from it shares the same lanes.
from cledss.assessment import pdf_lanes  # noqa: F401

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# More than one thread per worker makes gunicorn's gthread worker, which keeps connections alive.
threads = int(os.environ.get("GUNICORN_THREADS", 8))
# The PDF summary takes about half a second; a minute leaves room on a loaded machine.
timeout = 60
keepalive = 5
# cledss has no use for gunicorn's control socket, and a shared default path would collide
# between instances on one machine.
control_socket_disable = True

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
