"""Card feedback in the admin: visible to staff with the permission, never editable."""

import uuid

import pytest
from django.contrib.auth.models import Permission, User

from cledss.interop.models import CardFeedback

URL = "/admin/interop/cardfeedback/"


@pytest.fixture
def feedback(db):
    return CardFeedback.objects.create(card=uuid.uuid4(), service="cledss-thalidomide-order-select", outcome="overridden", override_reason="patient-preference")


def staff(codename=None):
    user = User.objects.create_user("reviewer", password="a long enough password", is_staff=True)
    if codename:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_anonymous_visitors_are_sent_to_log_in(client, feedback):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_the_permission_cannot_see_feedback(client, feedback):
    client.force_login(staff())
    assert client.get(URL).status_code == 403


def test_staff_with_the_permission_see_feedback_but_cannot_add_or_change_it(client, feedback):
    client.force_login(staff("view_cardfeedback"))
    listing = client.get(URL)
    assert listing.status_code == 200
    assert "patient-preference" in listing.content.decode()
    assert client.get(f"{URL}add/").status_code == 403
    response = client.post(f"{URL}{feedback.pk}/change/", {"outcome": "accepted"})
    assert response.status_code == 403
    feedback.refresh_from_db()
    assert feedback.outcome == "overridden"
