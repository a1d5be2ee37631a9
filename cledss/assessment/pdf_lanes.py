"""Where PDFs are laid out: under gunicorn, in a process beside each worker, ahead of the worker's pages.

A PDF laid out afresh costs WeasyPrint 1 to 2 s of one core; every other request costs a few
milliseconds. Laid out in a worker's own thread, it holds that worker's Python lock, and every
other request the worker's threads are serving waits behind it (bench/README.md: the result page's
p99 was 20 times its p50). So gunicorn_conf.py opens a lane in each worker it forks: one process
(a ProcessPoolExecutor of one, started with ``spawn``, so it does not inherit the worker's
threads and locks). The worker renders the page's HTML itself and sends only the HTML, its base
URL and the paper; the laid-out document comes back. A worker's PDFs wait their turn in its
executor, and a waiting thread holds no lock. While any of its threads waits, the worker may take
other requests (cledss/gunicorn_worker.py): ``waiting()`` counts them, and ``when_waiting`` names
what to call as one starts.

The lane keeps the priority its worker had, and the worker then steps ``lead`` nice steps behind it
(gunicorn_conf.py says how far, and why). A clinician waiting for a PDF is then not left waiting for
as long as other clinicians keep the cores busy with pages: under the lowest priority (SCHED_IDLE),
the PDFs of a busy run took a median of 26 s, and the clients waiting for them left the run with two
loads (bench/README.md, "Lanes ahead of their workers").

The patient's features reach the lane inside the HTML, through a pipe, and stay in memory there.

Without an open lane (runserver, the tests, a management command) a PDF is laid out in the
requesting thread, as before. A lane whose process dies (the kernel's OOM killer) is replaced,
at the worker's priority, and the PDF that was in it is laid out in the requesting thread rather
than lost. A lane dies with its worker, even one gunicorn kills.
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

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
T = TypeVar("T")

_lane: ProcessPoolExecutor | None = None
_opening = threading.Lock()
_counting = threading.Lock()
_waiting = 0
_on_wait: Callable[[], object] = lambda: None


def open_lane(*, lead: int = 0) -> None:
    """Start this process's lane, then lower this process's priority by ``lead`` nice steps, the lane's staying
    where it was; gunicorn_conf.py calls it in each worker it forks."""
    global _lane
    with _opening:
        if _lane is None:
            _lane = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn"), initializer=_start, initargs=(os.getpid(),)
            )
            # The submit starts the process, now rather than on a clinician's first PDF, and at this process's
            # priority; it is not awaited, so a busy machine never holds up a worker's boot.
            _lane.submit(os.getpid)
            if lead:
                os.nice(lead)


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
        return _wait_for(lane.submit(work, *args))
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
    """The lane process's start: it dies with its worker, then reads Django's settings."""
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
