"""The Curator and Reviewer groups, as the migration creates them."""

from django.contrib.auth.models import Group


def codenames(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_migration_creates_a_curator_group_that_can_write_and_submit_but_not_publish(db):
    curator = codenames("Curator")
    assert {"add_finding", "change_finding", "submit_finding", "add_study", "submit_study"} <= curator
    assert not {"publish_finding", "publish_study"} & curator


def test_migration_creates_a_reviewer_group_that_can_publish_but_not_add_or_delete(db):
    reviewer = codenames("Reviewer")
    assert {"publish_finding", "publish_study", "view_finding", "change_finding"} <= reviewer
    assert not {"add_finding", "delete_finding", "submit_finding"} & reviewer
