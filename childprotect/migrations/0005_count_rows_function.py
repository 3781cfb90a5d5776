"""count_rows(query, exact_limit): how many rows a query returns, exactly when that is cheap, else estimated.

One round trip, whatever the answer (childprotect/counting.py explains when each is used).
"""

from django.db import migrations

CREATE_FUNCTION = """
CREATE FUNCTION childprotect_count_rows(query text, exact_limit integer, OUT total bigint, OUT exact boolean)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
    total := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
    exact := false;
    IF total <= exact_limit THEN
        EXECUTE 'SELECT count(*) FROM (' || query || ' LIMIT ' || (exact_limit + 1) || ') AS counted' INTO total;
        exact := total <= exact_limit;
        -- The planner expected few rows and there are more: the count stopped at the limit, an estimate.
    END IF;
END
$$;
"""

DROP_FUNCTION = "DROP FUNCTION childprotect_count_rows(text, integer);"


class Migration(migrations.Migration):
    dependencies = [
        ("childprotect", "0004_notifications"),
    ]

    operations = [migrations.RunSQL(CREATE_FUNCTION, DROP_FUNCTION)]
