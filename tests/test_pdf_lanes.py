"""Under gunicorn a PDF is laid out in its worker's lane: a process of its own, ahead of the worker's pages."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cledss.assessment import pdf_lanes
from tests.support import ROOT, pdf_pages

SCLE_PDF = "/result/pdf/?subtype=scle&antimalarial_status=refractory&can_become_pregnant=on"


@pytest.fixture
def lane():
    pdf_lanes.open_lane()
    yield pdf_lanes
    pdf_lanes.close_lane()


def test_without_a_lane_a_pdf_is_laid_out_in_the_requesting_process():
    assert pdf_lanes.lay_out(os.getpid) == os.getpid()


def test_an_open_lane_lays_pdfs_out_in_another_process(lane):
    assert lane.lay_out(os.getpid) != os.getpid()


def test_a_worker_opening_its_lane_with_a_lead_steps_behind_it_and_the_lane_keeps_the_priority_it_had():
    worker = subprocess.run(
        [sys.executable, "-c", LEADING_LANE], cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "cledss.settings"},
        capture_output=True, text=True, timeout=120, check=True,
    )
    before, after, lane = map(int, worker.stdout.split())
    assert (after, lane) == (min(before + 3, 19), before)


# A worker (a process of its own, since nice steps cannot be taken back) that opens its lane three steps ahead.
LEADING_LANE = """
import os
from cledss.assessment import pdf_lanes
before = os.getpriority(os.PRIO_PROCESS, 0)
pdf_lanes.open_lane(lead=3)
print(before, os.getpriority(os.PRIO_PROCESS, 0), pdf_lanes.lay_out(os.getpriority, os.PRIO_PROCESS, 0))
pdf_lanes.close_lane()
"""


def test_a_thread_waiting_for_the_lane_is_counted_and_announced_so_its_worker_can_take_other_requests(lane, monkeypatch):
    monkeypatch.setattr(pdf_lanes, "_on_wait", pdf_lanes._on_wait)  # restored after the test
    seen = []
    lane.when_waiting(lambda: seen.append(lane.waiting()))
    assert lane.lay_out(os.getpid) != os.getpid()
    assert (seen, lane.waiting()) == ([1], 0)


def test_a_pdf_from_the_lane_carries_what_one_laid_out_here_carries(client, seeded, lane, clock):
    clock(datetime(2026, 12, 3, 9, 30, tzinfo=UTC))
    from_the_lane = pdf_pages(client.get(SCLE_PDF))
    lane.close_lane()
    from django.core.cache import caches

    from cledss.keeping import CACHE

    caches[CACHE].clear()
    laid_out_here = pdf_pages(client.get(SCLE_PDF))
    assert from_the_lane == laid_out_here
    assert all("Informational, not a prescribing tool" in page for page in from_the_lane)


def test_a_lane_dies_with_its_worker_however_the_worker_ends():
    worker = subprocess.run(
        [sys.executable, "-c", KILLED_WORKER], cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "cledss.settings"},
        capture_output=True, text=True, timeout=120,
    )
    assert worker.returncode == -signal.SIGKILL
    lane = int(worker.stdout)
    deadline = time.monotonic() + 30
    while _running(lane) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(lane)


# A worker that opens its lane, has it lay something out, and is killed as gunicorn kills a stuck one.
KILLED_WORKER = """
import os, signal
from cledss.assessment import pdf_lanes
pdf_lanes.open_lane()
print(pdf_lanes.lay_out(os.getpid), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def test_a_lane_whose_process_died_is_replaced_and_the_pdf_is_still_made(lane, caplog):
    lost = lane.lay_out(os.getpid)
    os.kill(lost, signal.SIGKILL)
    assert lane.lay_out(os.getpid) == os.getpid()  # this one in the worker, rather than lost
    assert "the PDF lane's process died" in caplog.text
    assert lane.lay_out(os.getpid) not in (lost, os.getpid())  # the next in the new lane
