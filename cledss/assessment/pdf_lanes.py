"""How many PDFs this machine lays out at once, whichever gunicorn worker is asked for one.

A PDF that is not kept yet costs WeasyPrint about half a second of one core; every other request
costs a few milliseconds. With no bound, a handful of PDFs asked for together take every core and
the cheap pages queue behind them (bench/load.py: p99 13.5x p50). So layouts take a lane, and there
are half as many lanes as cores (at least one): the other half is always free for everything else,
and a PDF waits for a lane rather than for the CPU.

A worker killed while it holds a lane (gunicorn's timeout, the kernel's OOM killer) never gives it
back: a POSIX semaphore does not know its holders. So no one waits longer than ``PATIENCE`` seconds:
a PDF then goes ahead without a lane, and the log says so, rather than every PDF waiting forever.

The semaphore is made when this module is first imported. gunicorn_conf imports it in the gunicorn
master, so every worker forked from it shares one; under runserver or the tests it bounds one
process. ``CLEDSS_PDF_LANES`` overrides the count (0: no bound, as before).
No Django here: the gunicorn master imports this before any app is loaded.
"""

import contextlib
import logging
import multiprocessing
import os

logger = logging.getLogger(__name__)

COUNT = int(os.environ.get("CLEDSS_PDF_LANES", max(1, (os.cpu_count() or 1) // 2)))
# Far beyond a wait on a quiet machine; only a lost lane or a machine overloaded many times over
# (bench/README.md measured waits of 30 to 45 s at load average 6 to 7) makes a PDF wait this long.
PATIENCE = 40
_lanes = multiprocessing.get_context("fork").BoundedSemaphore(COUNT) if COUNT > 0 else None


@contextlib.contextmanager
def lane():
    """Hold one of the machine's PDF lanes for the duration of the block, waiting for one if all are taken."""
    if _lanes is None:
        yield
        return
    if not _lanes.acquire(timeout=PATIENCE):
        logger.warning("no PDF lane came free in %s s; laying the PDF out without one", PATIENCE)
        yield
        return
    try:
        yield
    finally:
        _lanes.release()
