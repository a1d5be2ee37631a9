import hashlib
import importlib
import io
import json
import os
import pickle
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from cledss.clinical.body_of_evidence import EvidenceSnapshot
from tests import hypothesis_profiles  # noqa: F401  (loads the Hypothesis profile before any test module)
from tests.support import CHROMIUM, CHROMIUM_ARGS, RegisteredEhr, registered_as

SEED_PATH = Path(__file__).resolve().parent.parent / "cledss" / "evidence" / "seed" / "evidence.json"


@pytest.fixture(autouse=True)
def english_unless_a_request_says_otherwise():
    """A request leaves its language active in the thread; start every test in English."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_pages_from_other_tests():
    """Kept pages and answers outlive a test's database; start every test without them."""
    from django.core.cache import caches

    from cledss.answer_cache import CACHE

    caches[CACHE].clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test users need no slow key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock(monkeypatch):
    """Set the time the next request sees: summaries show it to the minute, so two made a minute apart differ."""

    def at(moment: datetime) -> None:
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return at


@pytest.fixture(scope="session")
def seed_records():
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))["studies"]


@pytest.fixture(scope="session")
def snapshot(seed_records):
    """The seed evidence as the clinical core sees it, without a database; immutable, so shared."""
    return EvidenceSnapshot.from_records(seed_records, version="seed")


def _seed():
    """The seed evidence as `make run` loads it: studies added and evidence version 1 recorded."""
    from django.core.management import call_command

    call_command("load_evidence", stdout=io.StringIO())


# The rows loading the seed adds, per model, read once per test process (see ``seeded``).
_seed_rows: list[tuple[type, list[dict]]] | None = None


@pytest.fixture
def seeded(db):
    """The seed evidence in this test's database (rolled back after it).

    Loading it with load_evidence costs about a second (validation, history, the version's hash),
    and two hundred tests ask for it; so each test process loads it once and copies the rows it
    added into every later test's database, as they are.
    """
    _seed_once_then_copy()


def _seed_once_then_copy():
    global _seed_rows
    if _seed_rows is None:
        before = _primary_keys()
        _seed()
        _seed_rows = [
            (model, [row for row in model._base_manager.order_by("pk").values() if row[model._meta.pk.attname] not in known])
            for model, known in before.items()
        ]
        _seed_rows = [(model, rows) for model, rows in _seed_rows if rows]
        return
    for model, rows in _seed_rows:
        model._base_manager.bulk_create(model(**row) for row in rows)


def _primary_keys() -> dict:
    from django.apps import apps

    return {model: set(model._base_manager.values_list("pk", flat=True)) for model in apps.get_models(include_auto_created=True)}


@pytest.fixture(scope="session")
def ehr_keys():
    """An EHR's signing keys, one per algorithm cledss accepts; made once, as RSA key generation is slow."""
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    return {"ES384": ec.generate_private_key(ec.SECP384R1()), "RS384": rsa.generate_private_key(65537, 2048)}


@pytest.fixture
def ehr(settings, ehr_keys):
    """The one EHR registered with the CDS Hooks service for this test, which names the test server as audience."""
    registered = RegisteredEhr(ehr_keys)
    settings.CDS_CLIENTS = registered_as(registered.client)
    settings.CDS_PUBLIC_URL = RegisteredEhr.BASE
    return registered


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_collection_modifyitems(items):
    """Mark every test that uses the test database ``database``: CI runs those again on PostgreSQL; the others never
    reach a database, as pytest-django blocks them from it."""
    for item in items:
        if "django_db_setup" in item.fixturenames or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.database)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; `make test` installs it."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the database work the
    # tests do around it is ordinary synchronous code, so Django's guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab that records every request it makes."""
    context = chromium.new_context()
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()


@pytest.fixture
def seeded_live(transactional_db):
    """Seed evidence visible to the live server's threads: committed, and removed by the flush after the test.
    The rows are those ``seeded`` copies (they point at no user, group or content type, which a flush recreates)."""
    _seed_once_then_copy()


@pytest.fixture(scope="session")
def _made_pdfs(tmp_path_factory, worker_id):
    """Where this run keeps the PDFs it made: the temporary folder every pytest-xdist worker of the run shares."""
    run = tmp_path_factory.getbasetemp()
    folder = (run if worker_id == "master" else run.parent) / "made-pdfs"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def made_pdf(client, seeded, _made_pdfs):
    """``client.get(path, data)`` for a PDF, made once per run for the seed evidence and kept for every test,
    in any test process, that asks again: Typst lays out each distinct PDF once, and the tests read it.

    The key is everything that changes the bytes: the path (document, and language by its /es/ prefix), the query
    (the patient, the paper) whatever its order, the published evidence version and its hash, and today's date
    (the download's name). Only the minute it was made, printed on its pages, is the first asker's. Tests that pin
    the clock or change the settings ask the client themselves; a test that publishes evidence gets a new key.
    """
    from django.http import HttpResponse
    from django.utils import timezone

    from cledss.evidence.models import EvidenceVersion

    def made(path: str, data: dict | None = None) -> HttpResponse:
        url = urlsplit(path)
        query = sorted([*parse_qsl(url.query, keep_blank_values=True), *(data or {}).items()])
        evidence = EvidenceVersion.objects.order_by("-number").values_list("number", "content_hash").first()
        key = repr((url.path, query, evidence, timezone.localdate().isoformat()))
        kept = _made_pdfs / hashlib.sha256(key.encode()).hexdigest()
        if not kept.exists():
            response = client.get(path, data)
            partial = kept.with_suffix(f".{os.getpid()}")
            partial.write_bytes(pickle.dumps((response.status_code, dict(response.items()), response.content)))
            partial.replace(kept)  # whole or not at all, for the other processes
        status, headers, content = pickle.loads(kept.read_bytes())
        return HttpResponse(content, status=status, headers=headers)

    return made


PASSWORD = "a-test-only-passphrase-41"


def ensure_roles():
    """The groups the migration creates; a transactional test's flush removes them, so recreate them the same way."""
    from django.contrib.auth.models import Group, Permission

    roles = importlib.import_module("cledss.evidence.migrations.0003_curator_and_reviewer_groups")
    for name, codenames in roles.GROUPS.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(Permission.objects.filter(content_type__app_label="evidence", codename__in=codenames))


def make_user(username: str, *groups: str):
    """A staff user in the named groups (Curator, Reviewer), as the README tells an admin to set up."""
    from django.contrib.auth.models import Group, User

    ensure_roles()
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    return User.objects.get(pk=user.pk)  # fresh, so no permission cache


@pytest.fixture
def curator(db):
    return make_user("carla", "Curator")


@pytest.fixture
def reviewer(db):
    return make_user("rafael", "Reviewer")


@pytest.fixture
def second_reviewer(db):
    return make_user("renata", "Reviewer")


def _figures() -> dict:
    """What this process's tests measured: the handout's readability and the fuzzing tests' examples."""
    handout, fuzzing = sys.modules.get("tests.test_handout"), sys.modules.get("tests.test_fuzzing")
    return {
        "readability": dict(getattr(handout, "READABILITY", {})),
        "fuzzing": dict(getattr(fuzzing, "EXAMPLES_RUN", {})),
    }


# The figures of the pytest-xdist workers that have finished, gathered in the controller.
_FROM_WORKERS: list[dict] = []


def pytest_sessionfinish(session):
    output = getattr(session.config, "workeroutput", None)
    if output is not None:  # an xdist worker: its figures go to the controller, which prints them
        output["figures"] = _figures()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    figures = getattr(node, "workeroutput", {}).get("figures")
    if figures:
        _FROM_WORKERS.append(figures)


def pytest_terminal_summary(terminalreporter):
    """After the handout's readability tests, what they measured; after the fuzzing tests, how many examples each
    one ran (in all of Hypothesis's phases) and the total, whichever processes ran them."""
    measured, tally = {}, Counter()
    for figures in [_figures(), *_FROM_WORKERS]:
        measured.update(figures["readability"])
        tally.update(figures["fuzzing"])
    if measured:
        terminalreporter.section("handout readability")
        for query, figure in sorted(measured.items()):
            terminalreporter.write_line(f"{query}: {figure}")
    if not tally:
        return
    terminalreporter.section("fuzzing: examples run")
    for name, count in sorted(tally.items(), key=lambda item: (-item[1], item[0])):
        terminalreporter.write_line(f"{count:>8,}  {name}")
    terminalreporter.write_line(f"{sum(tally.values()):>8,}  in total")
