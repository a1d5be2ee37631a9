"""The admin's lockout behind the hospital's proxies: keyed on the client's own address, not the proxy's.

Every request reaches cledss from a proxy; the client's address is the one the proxies wrote into
X-Forwarded-For, counted from the right by the number of trusted proxies (``CLEDSS_TRUSTED_PROXIES``).
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from cledss.proxies import client_address

PROXY = "10.0.0.1"
CURATOR_ADDRESS = "198.51.100.7"
STRANGER_ADDRESS = "203.0.113.9"
PASSWORD = "a-long-correct-password"


def request_from(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_a_proxy_the_connection_is_the_client(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_address(request_from(CURATOR_ADDRESS, forwarded="6.6.6.6")) == CURATOR_ADDRESS


@pytest.mark.parametrize(
    "proxies, forwarded",
    [
        (1, CURATOR_ADDRESS),
        (1, f"6.6.6.6, {CURATOR_ADDRESS}"),  # what the client wrote itself proves nothing
        (2, f"{CURATOR_ADDRESS}, 10.0.0.5"),
        (2, f"6.6.6.6, {CURATOR_ADDRESS}, 10.0.0.5"),
    ],
)
def test_behind_trusted_proxies_the_client_is_counted_from_the_right(settings, proxies, forwarded):
    settings.TRUSTED_PROXIES = proxies
    assert client_address(request_from(PROXY, forwarded)) == CURATOR_ADDRESS


def test_a_request_that_skipped_the_proxies_is_taken_from_the_address_that_connected(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_address(request_from(STRANGER_ADDRESS, forwarded="6.6.6.6")) == STRANGER_ADDRESS
    assert client_address(request_from(STRANGER_ADDRESS)) == STRANGER_ADDRESS


@pytest.fixture
def behind_one_proxy(settings, db):
    settings.TRUSTED_PROXIES = 1
    get_user_model().objects.create_superuser("curator", "c@example.org", PASSWORD)


def login(client, address: str, username: str, password: str) -> int:
    data = {"username": username, "password": password}
    return client.post("/admin/login/", data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address).status_code


def test_a_stranger_cannot_lock_a_curator_out_from_the_curators_own_address(client, behind_one_proxy):
    assert [login(client, STRANGER_ADDRESS, "curator", "wrong") for _ in range(5)] == [200, 200, 200, 200, 429]
    assert login(client, STRANGER_ADDRESS, "curator", PASSWORD) == 429
    assert login(client, CURATOR_ADDRESS, "curator", PASSWORD) == 302
    assert "_auth_user_id" in client.session


def test_guessing_across_usernames_from_one_address_is_limited_too(client, behind_one_proxy):
    statuses = [login(client, STRANGER_ADDRESS, f"user{n}", "wrong") for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert login(client, STRANGER_ADDRESS, "someone-else", "wrong") == 429
