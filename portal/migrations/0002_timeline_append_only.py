from django.db import migrations

# The timeline is evidence: PostgreSQL itself refuses to change or remove an event.
FORBID = """
CREATE FUNCTION portal_timeline_forbid_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'portal_timelineevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER portal_timeline_append_only
    BEFORE UPDATE OR DELETE ON portal_timelineevent
    FOR EACH ROW EXECUTE FUNCTION portal_timeline_forbid_change();
"""
ALLOW = """
DROP TRIGGER IF EXISTS portal_timeline_append_only ON portal_timelineevent;
DROP FUNCTION IF EXISTS portal_timeline_forbid_change();
"""


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunSQL(FORBID, ALLOW)]
