"""PDF layouts take one of the machine's lanes, shared by every gunicorn worker forked from one master."""

import importlib
import multiprocessing

import pytest

from cledss.assessment import pdf_lanes


@pytest.fixture
def one_lane(monkeypatch):
    monkeypatch.setenv("CLEDSS_PDF_LANES", "1")
    yield importlib.reload(pdf_lanes)
    monkeypatch.delenv("CLEDSS_PDF_LANES")
    importlib.reload(pdf_lanes)


def _try_lane(lanes, answer) -> None:
    taken = lanes._lanes.acquire(timeout=0.2)
    answer.put(taken)
    if taken:
        lanes._lanes.release()


def in_a_forked_worker(lanes) -> bool:
    """Whether a process forked now (as gunicorn forks a worker) finds a free lane."""
    context = multiprocessing.get_context("fork")
    answer = context.Queue()
    worker = context.Process(target=_try_lane, args=(lanes, answer))
    worker.start()
    worker.join(timeout=30)
    return answer.get(timeout=5)


def test_a_lane_held_by_one_worker_is_taken_for_the_others(one_lane):
    assert in_a_forked_worker(one_lane)
    with one_lane.lane():
        assert not in_a_forked_worker(one_lane)
    assert in_a_forked_worker(one_lane)


def test_half_the_cores_are_lanes_and_at_least_one(monkeypatch):
    monkeypatch.delenv("CLEDSS_PDF_LANES", raising=False)
    for cores, lanes in ((1, 1), (2, 1), (8, 4)):
        monkeypatch.setattr("os.cpu_count", lambda cores=cores: cores)
        assert importlib.reload(pdf_lanes).COUNT == lanes
    monkeypatch.undo()
    importlib.reload(pdf_lanes)


def test_no_bound_when_asked_for_none(monkeypatch):
    monkeypatch.setenv("CLEDSS_PDF_LANES", "0")
    lanes = importlib.reload(pdf_lanes)
    with lanes.lane(), lanes.lane():
        pass
    monkeypatch.undo()
    importlib.reload(pdf_lanes)


def test_a_lane_lost_with_its_worker_delays_a_pdf_but_does_not_stop_it(one_lane, monkeypatch, caplog):
    monkeypatch.setattr(one_lane, "PATIENCE", 0.1)
    one_lane._lanes.acquire()  # as if a worker holding it had been killed
    try:
        with one_lane.lane():
            laid_out = True
    finally:
        one_lane._lanes.release()
    assert laid_out
    assert "no PDF lane came free" in caplog.text
