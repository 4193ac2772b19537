"""City scale (issue 15): a statement a connection repeats is kept prepared, so PostgreSQL plans it once.

Planning was most of the database's CPU on the main pages; this holds only while parameters are bound by
the server (a query with its values written in is a new statement for every value)."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Notification, Organization


def _prepared_statements_reading(condition: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE strpos(statement, %s) > 0", [condition])
        return [row[0] for row in cursor.fetchall()]


def test_a_query_repeated_with_other_values_is_prepared_once_with_its_parameters_bound_by_the_server(orgs):
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    assert threshold is not None
    names = [org.name for org in orgs.values()][: threshold + 1]
    assert len(names) == threshold + 1
    by_name = '"portal_organization"."name" = $1'
    assert not _prepared_statements_reading(by_name)

    found = [Organization.objects.filter(name=name).values_list("name", flat=True).first() for name in names]

    assert found == names
    assert len(_prepared_statements_reading(by_name)) == 1


def test_a_bulk_insert_past_the_servers_parameter_limit_is_split_to_fit(clerk):
    """Bound by the server, a statement takes at most 65,535 parameters (portal/db/postgresql)."""
    columns = len([f for f in Notification._meta.concrete_fields if not f.primary_key])
    count = 65_535 // columns + 1
    rows = [Notification(recipient=clerk, kind="bulk_test", title=f"通知{n}") for n in range(count)]

    with CaptureQueriesContext(connection) as captured:
        Notification.objects.bulk_create(rows)

    assert [q["sql"].split(" ", 3)[:3] for q in captured] == [["INSERT", "INTO", '"portal_notification"']] * 2
    assert Notification.objects.filter(recipient=clerk, kind="bulk_test").count() == count


def test_the_inbox_names_its_recipient_in_the_statement_so_it_is_planned_for_that_inbox(clerk):
    """A prepared inbox query with the recipient bound got a generic plan for the average inbox (11 rows at city
    scale) and sorted a busy official's whole inbox for each page; with the id written in, each inbox is planned
    for its own size."""
    from portal.selectors.notifications import notifications_for

    sql, params = notifications_for(clerk).query.sql_with_params()

    assert f'"portal_notification"."recipient_id" = ({clerk.pk})' in sql
    assert clerk.pk not in params
