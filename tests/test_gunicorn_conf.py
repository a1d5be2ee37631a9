"""gunicorn's configuration: it must never log a query string, which holds the patient's features."""

import importlib
import logging
import re

import pytest

# gunicorn's access-log atoms that contain the query string: the request line, the query
# itself, the Referer (a result page's full URL) and any request header.
QUERY_ATOMS = re.compile(r"%\((r|q|f|\{[^}]*\}i)\)s")


@pytest.fixture
def conf(monkeypatch):
    for name in ("GUNICORN_BIND", "PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    import cledss.gunicorn_conf

    return importlib.reload(cledss.gunicorn_conf)


def test_the_access_log_format_names_the_path_without_the_query(conf):
    assert "%(U)s" in conf.access_log_format
    assert not QUERY_ATOMS.search(conf.access_log_format)


def test_the_query_atoms_check_recognises_the_request_line_and_referer():
    for atom in ('"%(r)s"', "%(q)s", '"%(f)s"', "%({referer}i)s"):
        assert QUERY_ATOMS.search(atom)


def test_both_gunicorn_logs_drop_query_strings(conf):
    handlers = conf.logconfig_dict["handlers"]
    for name in ("gunicorn.error", "gunicorn.access"):
        for handler in conf.logconfig_dict["loggers"][name]["handlers"]:
            assert "no_query_strings" in handlers[handler]["filters"]
    assert conf.logconfig_dict["filters"]["no_query_strings"]["()"] == "cledss.logging.DropQueryStrings"


def test_the_error_log_filter_cuts_the_uri_of_a_failed_request():
    record = logging.LogRecord(
        "gunicorn.error", logging.ERROR, __file__, 1, "Error handling request %s", ("/result/?subtype=dle",), None
    )
    from cledss.logging import DropQueryStrings

    DropQueryStrings().filter(record)
    assert "subtype" not in record.getMessage()


def test_it_binds_to_loopback_by_default_and_reads_the_environment(conf, monkeypatch):
    assert conf.bind == "127.0.0.1:8000"
    assert conf.workers >= 3
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    conf = importlib.reload(conf)
    assert (conf.bind, conf.workers, conf.threads) == ("127.0.0.1:9000", 4, 8)
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:8080")
    assert importlib.reload(conf).bind == "0.0.0.0:8080"
