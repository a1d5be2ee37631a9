"""A fault of cledss's own still answers with the label: a page for a person, JSON for a machine."""

import pytest
from django.urls import path

from cledss.urls import urlpatterns as cledss_urls


def broken(request):
    raise RuntimeError("a fault in cledss's own code")


urlpatterns = [path("broken/", broken), path("api/broken", broken), *cledss_urls]
handler500 = "cledss.failures.server_error"


@pytest.fixture
def faulty_client(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


def test_the_500_page_carries_the_label(faulty_client):
    response = faulty_client.get("/broken/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Informational, not a prescribing tool" in text
    assert "cledss could not answer this request" in text
    assert response["X-Cledss-Label"] == "Informational, not a prescribing tool"


def test_a_machine_gets_the_fault_as_json_with_the_label(faulty_client):
    response = faulty_client.get("/api/broken")
    assert response.status_code == 500
    assert response.json()["label"] == "Informational, not a prescribing tool"
    assert response.json()["error"] == "server_error"
