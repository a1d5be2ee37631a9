"""Under gunicorn a worker takes a connection only when none of its requests is computing."""

import http.client
import os
import selectors
import socket
import subprocess
import sys
import threading

import pytest
from gunicorn.config import Config

from cledss.gunicorn_worker import IdleAcceptWorker
from tests.support import ROOT, app_environment, gunicorn, http_get

FORM = "/"
PDF = "/result/pdf/?subtype=dle&antimalarial_status=intolerant&smoker=on"


@pytest.fixture
def worker():
    config = Config()
    config.set("threads", 3)
    listener = socket.create_server(("127.0.0.1", 0))
    worker = IdleAcceptWorker(1, os.getpid(), [listener], None, 30, config, None)
    worker.poller = selectors.DefaultSelector()
    worker.method_queue.init()
    yield worker
    worker.poller.close()
    worker.method_queue.close()
    worker.tmp.close()
    listener.close()


def taking_connections(worker) -> bool:
    worker.set_accept_enabled(True)
    return worker.sockets[0] in {key.fileobj for key in worker.poller.get_map().values()}


def test_an_idle_worker_takes_connections(worker):
    assert taking_connections(worker)


def test_a_worker_computing_a_request_takes_no_other(worker):
    worker.nr_conns = 1
    assert not taking_connections(worker)


def test_a_worker_whose_connection_is_taken_but_not_yet_read_takes_another_while_a_thread_is_free(worker):
    worker.nr_conns = 1
    worker.pending_conns.append(object())
    assert taking_connections(worker)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn as `make serve` runs it, with one worker, on a seeded database."""
    env = app_environment(tmp_path_factory.mktemp("gunicorn") / "db.sqlite3", CLEDSS_CDS_CLIENTS="[]")
    for command in (["migrate", "--noinput", "-v0"], ["load_evidence"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    with gunicorn(env) as port:
        yield port


def test_the_only_worker_serves_a_pdf_and_then_a_page(server):
    finished = []
    pdf = http.client.HTTPConnection("127.0.0.1", server, timeout=60)
    pdf.request("GET", PDF)  # sent, and queued before the page's connection
    waiting = threading.Thread(target=lambda: finished.append(("pdf", pdf.getresponse().status)))
    waiting.start()
    finished.append(("page", http_get(server, FORM).status))
    waiting.join()
    pdf.close()
    assert sorted(finished) == [("page", 200), ("pdf", 200)]


def test_each_answer_closes_its_connection_so_the_next_request_goes_to_the_first_idle_worker(server):
    assert http_get(server, FORM).getheader("Connection") == "close"
