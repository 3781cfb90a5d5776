from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# The audit log is append-only at the database level too: UPDATE and DELETE of a row raise an error from any
# client, including raw SQL from the application. (TRUNCATE is a separate privilege, left to the DBA.)
APPEND_ONLY_TRIGGER = """
CREATE FUNCTION childprotect_audit_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'childprotect_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER childprotect_auditevent_append_only
    BEFORE UPDATE OR DELETE ON childprotect_auditevent
    FOR EACH ROW EXECUTE FUNCTION childprotect_audit_is_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS childprotect_auditevent_append_only ON childprotect_auditevent;
DROP FUNCTION IF EXISTS childprotect_audit_is_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("childprotect", "0001_initial")]

    operations = [
        # Diacritic-insensitive search (“Nguyen Thi Huong” finds “Nguyễn Thị Hương”) and similarity matching.
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(APPEND_ONLY_TRIGGER, DROP_TRIGGER),
    ]
