"""cledss's gunicorn worker: gthread, but a worker takes a connection only when it has nothing to compute.

gunicorn's gthread worker accepts every connection it is offered and hands it to a thread, so a
busy worker keeps taking requests while an idle one waits: its threads then share one Python lock,
and each request waits for the others in the same process (bench/README.md: with every page kept,
no PDFs and no CDS calls, the result page's p99 was 14.6 times its p50). gunicorn's sync worker
takes a connection only when it is free, so every request waits in the kernel's one queue for
the first free worker (p99 2.5 times p50 in that run), but a PDF would hold a sync worker for as
long as its lane takes.

This worker keeps gthread's threads and takes the sync worker's rule: it stops taking connections
from the moment it accepts one until none of its requests is computing. A request waiting for its
PDF lane (pdf_lanes.py) computes nothing and holds no lock, so meanwhile the worker takes others,
up to one per thread. gunicorn_conf.py turns keep-alive off for the same reason: a kept-alive
connection stays with the worker that took it, busy or not. Behind a hospital's proxy the proxy
keeps its own connections to browsers alive.
"""

from gunicorn.workers.gthread import ThreadWorker

from cledss.assessment import pdf_lanes


class IdleAcceptWorker(ThreadWorker):
    def init_process(self) -> None:
        pdf_lanes.when_waiting(self.wake)
        super().init_process()

    def wake(self) -> None:
        """Make the main loop ask again whether to take connections (a thread has started waiting for its lane)."""
        self.method_queue.defer(lambda: None)

    def accept(self, listener) -> None:
        super().accept(listener)
        self.set_accept_enabled(False)

    def set_accept_enabled(self, enabled: bool) -> None:
        # gthread's main loop asks again after every event (a request done, a thread waiting for a PDF).
        super().set_accept_enabled(enabled and self.idle())

    def idle(self) -> bool:
        """No request is computing, and a thread is free for the next."""
        resting = len(self.keepalived_conns) + len(self.pending_conns) + pdf_lanes.waiting()
        return self.nr_conns <= resting and self.nr_conns < self.cfg.threads

