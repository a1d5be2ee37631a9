"""Under gunicorn a worker takes a connection only when none of its requests is computing.

A request waiting for its PDF lane computes nothing, so its worker goes on taking others.
"""

import http.client
import json
import os
import selectors
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from gunicorn.config import Config

from cledss.assessment import pdf_lanes
from cledss.gunicorn_worker import IdleAcceptWorker

ROOT = Path(__file__).resolve().parent.parent
FORM = "/"
PDF = "/result/pdf/?subtype=dle&antimalarial_status=intolerant&smoker=on"


@pytest.fixture
def worker(monkeypatch):
    monkeypatch.setattr(pdf_lanes, "_waiting", 0)
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


def test_a_worker_whose_requests_all_wait_for_pdfs_takes_others_while_a_thread_is_free(worker, monkeypatch):
    worker.nr_conns = 2
    monkeypatch.setattr(pdf_lanes, "_waiting", 2)
    assert taking_connections(worker)
    worker.nr_conns = 3
    monkeypatch.setattr(pdf_lanes, "_waiting", 3)
    assert not taking_connections(worker)  # every thread is waiting


def test_a_thread_starting_to_wait_for_its_lane_wakes_the_main_loop(worker):
    with selectors.DefaultSelector() as loop:
        loop.register(worker.method_queue.fileno(), selectors.EVENT_READ)
        assert loop.select(timeout=0) == []
        worker.wake()
        assert len(loop.select(timeout=0)) == 1


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn as `make serve` runs it, with one worker, on a seeded database."""
    tmp = tmp_path_factory.mktemp("gunicorn")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CLEDSS_"))},
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DJANGO_LOG_LEVEL": "WARNING",
        "CLEDSS_CDS_CLIENTS": json.dumps([]),
    }
    for command in (["migrate", "--noinput", "-v0"], ["load_evidence"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [gunicorn, "-c", "python:cledss.gunicorn_conf", "cledss.wsgi"],
        cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _get(port, "/health/") is None:
        assert time.monotonic() < deadline and process.poll() is None, "gunicorn did not start"
        time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def _get(port: int, path: str) -> http.client.HTTPResponse | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response
    except OSError:
        return None
    finally:
        connection.close()


def test_the_only_worker_serves_a_page_while_a_pdf_it_took_first_is_laid_out_in_its_lane(server):
    finished = []
    pdf = http.client.HTTPConnection("127.0.0.1", server, timeout=60)
    pdf.request("GET", PDF)  # sent, and queued before the page's connection
    waiting = threading.Thread(target=lambda: finished.append(("pdf", pdf.getresponse().status)))
    waiting.start()
    finished.append(("page", _get(server, FORM).status))
    waiting.join()
    pdf.close()
    assert finished == [("page", 200), ("pdf", 200)]


def test_each_answer_closes_its_connection_so_the_next_request_goes_to_the_first_idle_worker(server):
    assert _get(server, FORM).getheader("Connection") == "close"
