"""cledss's gunicorn worker: gthread, but a worker takes a connection only when it has nothing to compute.

gunicorn's gthread worker accepts every connection it is offered and hands it to a thread, so a busy
worker keeps taking requests while an idle one waits: its threads then share one Python lock, and each
request waits for the others in the same process. This worker keeps gthread's main loop and takes the
sync worker's rule: it stops taking connections from the moment it accepts one until none of its
requests is computing, so every request waits in the kernel's one queue for the first free worker.
bench/README.md ("The tail under load") has the runs against gunicorn's own workers.
"""

from gunicorn.workers.gthread import ThreadWorker


class IdleAcceptWorker(ThreadWorker):
    def accept(self, listener) -> None:
        super().accept(listener)
        self.set_accept_enabled(False)

    def set_accept_enabled(self, enabled: bool) -> None:
        # gthread's main loop asks again after every event (a request read, a request done).
        super().set_accept_enabled(enabled and self.idle())

    def idle(self) -> bool:
        """No request is computing (a taken connection not yet read computes nothing), and a thread is free."""
        resting = len(self.keepalived_conns) + len(self.pending_conns)
        return self.nr_conns <= resting and self.nr_conns < self.cfg.threads
