"""Where PDFs are laid out: under gunicorn, in a process beside each worker, at the lowest CPU priority.

A PDF laid out afresh costs WeasyPrint 1 to 2 s of one core; every other request costs a few
milliseconds. Laid out in a worker's own thread, it holds that worker's Python lock, and every
other request the worker's threads are serving waits behind it (bench/README.md: the result page's
p99 was 20 times its p50). So gunicorn_conf.py opens a lane in each worker it forks: one process
(a ProcessPoolExecutor of one, started with ``spawn``, so it does not inherit the worker's
threads and locks) under Linux's SCHED_IDLE policy. The kernel runs a lane only on a core no page
wants, and takes the core back the moment a page does. Lanes then lay PDFs out at full speed
whenever pages leave a core idle; under pages that kept every core busy without a pause, a PDF
would wait until they stopped. The worker renders the page's HTML itself and sends only the HTML,
its base URL and the paper; the laid-out document comes back. A worker's PDFs wait their turn in
its executor, and a waiting thread holds no lock. While any of its threads waits, the worker may take
other requests (cledss/gunicorn_worker.py): ``waiting()`` counts them, and ``when_waiting`` names
what to call as one starts.

The patient's features reach the lane inside the HTML, through a pipe, and stay in memory there.

Without an open lane (runserver, the tests, a management command) a PDF is laid out in the
requesting thread, as before. A lane whose process dies (the kernel's OOM killer) is replaced,
and the PDF that was in it is laid out in the requesting thread rather than lost. A lane dies with
its worker, even one gunicorn kills. A lane starts at its worker's priority and lowers it with its
first PDF: a worker never waits for a process that busy cores would not run.
"""

import ctypes
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

logger = logging.getLogger(__name__)

# Where SCHED_IDLE is not available or not allowed (another kernel, a seccomp profile), nice 10
# weighs a tenth of a page's process for the scheduler (CFS weights 110 and 1024).
NICENESS = 10
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
T = TypeVar("T")

_lane: ProcessPoolExecutor | None = None
_opening = threading.Lock()
_counting = threading.Lock()
_waiting = 0
_on_wait: Callable[[], object] = lambda: None
_lowered = False  # in a lane: whether it has lowered its priority yet


def open_lane() -> None:
    """Start this process's lane; gunicorn_conf.py calls it in each worker it forks."""
    global _lane
    with _opening:
        if _lane is None:
            _lane = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn"), initializer=_start, initargs=(os.getpid(),)
            )
            # Started now, not on a clinician's first PDF; not awaited, so a busy machine never holds up a worker's boot.
            _lane.submit(os.getpid)


def close_lane() -> None:
    global _lane
    with _opening:
        if _lane is not None:
            _lane.shutdown(wait=True, cancel_futures=True)
            _lane = None


def when_waiting(call: Callable[[], object]) -> None:
    """Call ``call`` (from the waiting thread) each time a thread starts waiting for the lane."""
    global _on_wait
    _on_wait = call


def waiting() -> int:
    """How many of this process's threads are waiting for a PDF from the lane."""
    return _waiting


def lay_out(work: Callable[..., T], *args) -> T:
    """``work(*args)`` in this process's lane if it has one, else here; ``work`` must be a module-level function."""
    lane = _lane
    if lane is None:
        return work(*args)
    try:
        return _wait_for(lane.submit(_yielding, work, *args))
    except BrokenProcessPool:
        logger.warning("the PDF lane's process died; starting another and laying this PDF out in the worker")
        _replace(lane)
        return work(*args)


def _wait_for(future: Future[T]) -> T:
    global _waiting
    with _counting:
        _waiting += 1
    try:
        _on_wait()
        return future.result()
    finally:
        with _counting:
            _waiting -= 1


def _replace(broken: ProcessPoolExecutor) -> None:
    global _lane
    with _opening:
        if _lane is broken:
            _lane = None
    open_lane()


def _start(worker: int) -> None:
    """The lane process's start, at the worker's priority: it dies with its worker, then reads Django's settings."""
    _die_with(worker)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cledss.settings")
    import django

    django.setup()


def _die_with(worker: int) -> None:
    """Have the kernel kill this process when its worker ends, however it ends (Linux's PR_SET_PDEATHSIG);
    a lane outliving a killed worker would otherwise wait for work forever."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return
    if os.getppid() != worker:  # the worker ended before the request took hold
        os._exit(0)


def _yielding(work: Callable[..., T], *args) -> T:
    """``work(*args)`` at the lowest priority. The lane lowers itself with its first PDF, not at its start,
    so that its start is never held up behind busy cores (a worker waits for it as it stops)."""
    global _lowered
    if not _lowered:
        _yield_to_pages()
        _lowered = True
    return work(*args)


def _yield_to_pages() -> None:
    """Run only on cores no page wants (SCHED_IDLE), or at nice 10 where that is refused.

    bench/load.py, three runs against two at nice 10: the pages' p99 once every worker has drawn
    its pages was lower, and so was the PDFs' (bench/README.md, "The tail under load").
    """
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        os.nice(NICENESS)
