"""What the README promises is true (finding 10 of issue 13): with DATABASE_REPLICA_URL, the dashboards and the
periodic reports read from a streaming read replica, everything else from the primary. A real standby, made by
pg_basebackup from the suite's own PostgreSQL and streaming from it, on loopback. To see where each read went, the
test pauses the standby's replay and records a case on the primary: the dashboard (replica) does not count it yet,
the case list (primary) shows it at once; once replay resumes, the dashboard counts it too."""

from __future__ import annotations

import pytest
from django.db import connection, connections

from childprotect.db_router import REPLICA, reading_from_replica
from tests.conftest import make_case
from tests.faults.processes import PgCluster, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]


@pytest.fixture
def replica():
    cluster = PgCluster(standby=True)
    cluster.start()
    name = connection.settings_dict["NAME"]
    default = connections.settings["default"]
    connections.settings[REPLICA] = {
        **default,
        "HOST": "127.0.0.1",
        "PORT": str(cluster.port),
        "OPTIONS": {key: value for key, value in default.get("OPTIONS", {}).items() if key != "pool"},
        "CONN_MAX_AGE": None,
        "TEST": {"MIRROR": "default"},
    }
    # Connected here: Django's test case refuses to open connections to aliases the test did not declare, and
    # this one is declared only now that the standby exists.
    wait_until(lambda: cluster.sql(name, "SELECT 1") == "1", timeout=30, what="the standby accepts connections")
    connections[REPLICA].connect()
    try:
        yield cluster, name
    finally:
        if REPLICA in connections.settings:
            replica_connection = connections[REPLICA]
            replica_connection.close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
        cluster.remove()


def _dashboard(client) -> dict:
    response = client.get("/api/v1/dashboard/", {"unit": "19", "from": "2025-01-01", "to": "2030-12-31"})
    assert response.status_code == 200, response.content
    return response.json()["figures"]


def test_dashboards_read_from_the_replica_and_everything_else_from_the_primary(personas, client_for, replica):
    cluster, database = replica
    make_case(personas.officer_a1, personas.commune_a1)
    count = "SELECT count(*) FROM cases_case"
    wait_until(lambda: cluster.sql(database, count) == "1", timeout=30, what="the standby has the first case")
    assert cluster.sql(database, "SELECT pg_is_in_recovery()") == "t"
    with reading_from_replica(), connections[REPLICA].cursor() as cursor:  # the router's alias is the standby
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True
    officer = client_for(personas.province_officer_a)
    before = _dashboard(officer)

    cluster.sql(database, "SELECT pg_wal_replay_pause()")
    make_case(personas.officer_a1, personas.commune_a1)  # committed on the primary; the paused standby does not have it
    assert officer.get("/api/v1/cases/").json()["count"] == 2  # the case list reads the primary
    assert _dashboard(officer) == before  # the dashboard reads the (paused) replica

    cluster.sql(database, "SELECT pg_wal_replay_resume()")
    wait_until(lambda: cluster.sql(database, count) == "2", timeout=30, what="the standby replays the second case")
    after = _dashboard(officer)
    assert after != before
    # Writes never go to the replica: recording the case above worked, and the audit rows are on the primary.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is False
