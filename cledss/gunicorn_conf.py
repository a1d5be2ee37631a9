"""gunicorn settings for cledss: ``gunicorn -c python:cledss.gunicorn_conf cledss.wsgi``.

Read from the environment: ``GUNICORN_BIND`` (or ``PORT``, bound on 127.0.0.1; default
127.0.0.1:8000), ``WEB_CONCURRENCY`` (worker processes; default 2 x cores + 1) and
``GUNICORN_THREADS`` (threads per worker; default 16). A hospital's HTTPS proxy sits in front.

Sizing (bench/load.py; bench/README.md has the runs behind each choice). cledss's requests are
CPU-bound and short: a kept result page, API answer or form costs a few milliseconds, one drawn
afresh a few tens. Processes, not threads, use the cores (each holds Python's lock while it
computes), so there are 2 x cores + 1 workers: one computing per core and the others ready, which
measured fairer than one per core when every client is busy. Each worker computes one request at a
time and takes the next connection only when it is idle (cledss/gunicorn_worker.py), so a request
waits in the kernel's queue for the first free worker rather than behind others in a busy one;
keep-alive is off because a kept-alive connection would stay with its worker, busy or not. The
one long request, a PDF laid out afresh (1 to 2 s of WeasyPrint), runs in the worker's PDF lane
(cledss/assessment/pdf_lanes.py), a process of its own opened below as each worker is forked; the
worker then steps LANE_LEAD nice steps behind its lane. Linux weighs a process at nice 0 as 1024
and one at nice 5 as 335, so a lane laying a PDF out counts for about three computing workers. On
2 cores, with all 5 workers computing, one lane gets three quarters of a core and two lanes
together just over half the cores; the pages always keep the rest. A PDF is then laid out in about
its own time while the pages go on, and in a busy run the load stays the same from start to end.
With the lanes behind the pages instead (SCHED_IDLE, nice 10) or level with them, clients piled
up waiting for PDFs (medians of 15 to 36 s), and the pages' p99 was 8 to 93 times their p50; five
steps measured flatter than ten (bench/README.md, "Lanes ahead of their workers"). On 8 cores the
17 workers weigh as much as five or six lanes, so two PDFs at once each get a full core and eight
still leave the pages two fifths. The steps are relative: a service started at nice N runs its
workers at N + 5 and its lanes at N, and other processes at nice 0 (PostgreSQL on the same host,
for one) come before the workers. A request waiting for its lane holds a thread and nothing else,
and its worker goes on taking requests: the 16 threads per worker are room for 15 such waits. On
2 cores that is 5 workers, 80 threads and 5 lanes; 8 cores give 17 workers. Memory, not CPU,
bounds workers beyond that: each keeps its own pages and PDFs (CLEDSS_PAGE_CACHE_ENTRIES of them,
70 KB each on average) and its lane holds WeasyPrint (about 100 MB).

Query strings carry the patient's features, so nothing gunicorn logs may contain one: the
access log names the path only (``%(U)s``; never the request line ``%(r)s``, the query
``%(q)s`` or the Referer ``%(f)s``, which is the result page's full URL when its PDF link is
followed), and the error log, which names the request URI when a request fails, passes
through the same filter as Django's own log.
"""

import multiprocessing
import os

from cledss.assessment import pdf_lanes

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "cledss.gunicorn_worker.IdleAcceptWorker"
# Threads wait for PDFs; a worker computes one request at a time.
threads = int(os.environ.get("GUNICORN_THREADS", 16))
# A worker's main loop answers gunicorn's heartbeat while its threads wait for PDFs, so this bounds a
# stuck worker, not a slow PDF.
timeout = 60
keepalive = 0
# cledss has no use for gunicorn's control socket, and a shared default path would collide
# between instances on one machine.
control_socket_disable = True
# How many nice steps each worker runs behind its PDF lane (the docstring says why five).
LANE_LEAD = 5


def post_fork(server, worker) -> None:
    pdf_lanes.open_lane(lead=LANE_LEAD)


def worker_exit(server, worker) -> None:
    pdf_lanes.close_lane()


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
