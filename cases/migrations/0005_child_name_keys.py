"""Word-start keys of children's search names, kept by a trigger (see ChildNameKey), filled for existing children."""

import django.db.models.deletion
from django.db import migrations, models


# Every suffix of the name that starts at a word: "nguyen thi huong" → itself, "thi huong", "huong".
KEYS_OF_NEW_ROW = """
    SELECT NEW.id, array_to_string(words[i:], ' ')
    FROM (SELECT string_to_array(NEW.name_search, ' ') AS words) AS name,
         generate_series(1, coalesce(array_length(name.words, 1), 0)) AS i
"""

CREATE_TRIGGER = f"""
CREATE FUNCTION cases_child_name_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.name_search IS NOT DISTINCT FROM OLD.name_search THEN
            RETURN NULL;
        END IF;
        DELETE FROM cases_childnamekey WHERE child_id = NEW.id;
    END IF;
    INSERT INTO cases_childnamekey (child_id, key) {KEYS_OF_NEW_ROW};
    RETURN NULL;
END
$$;
CREATE TRIGGER cases_child_name_keys AFTER INSERT OR UPDATE OF name_search ON cases_child
    FOR EACH ROW EXECUTE FUNCTION cases_child_name_keys();
INSERT INTO cases_childnamekey (child_id, key)
    SELECT child.id, array_to_string(name.words[i:], ' ')
    FROM cases_child AS child,
         LATERAL (SELECT string_to_array(child.name_search, ' ') AS words) AS name,
         LATERAL generate_series(1, coalesce(array_length(name.words, 1), 0)) AS i;
ANALYZE cases_childnamekey;
"""

DROP_TRIGGER = """
DROP TRIGGER cases_child_name_keys ON cases_child;
DROP FUNCTION cases_child_name_keys();
DELETE FROM cases_childnamekey;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_commune_list_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChildNameKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=120)),
                ('child', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.child')),
            ],
            options={
                'indexes': [models.Index(fields=['key'], name='child_name_key_idx', opclasses=['varchar_pattern_ops']), models.Index(fields=['child'], name='child_name_key_child_idx')],
            },
        ),
        migrations.RunSQL(CREATE_TRIGGER, DROP_TRIGGER),
    ]
