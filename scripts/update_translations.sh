#!/usr/bin/env bash
# Refresh the English catalogue: extract the translatable strings, then compile them.
#
# Why: the source strings in the code and templates are Vietnamese (LANGUAGE_CODE = "vi"), so Vietnamese needs
# no catalogue; English is the only one, locale/en/LC_MESSAGES/django.po. Run this after adding or changing a
# gettext / {% translate %} / {% blocktranslate %} string, translate the new or "#, fuzzy" entries in django.po
# (tests/core/test_translations.py fails while any msgstr is empty or fuzzy), then run it again so the
# compiled django.mo matches. Commit both files: the .mo is committed so that a machine without GNU gettext
# (production, CI) still serves English.
#
# Needs GNU gettext (msgmerge, msgfmt): apt-get install gettext. Developers only.
# Usage: scripts/update_translations.sh
# static/js has no translatable strings, so there is no djangojs catalogue; add `-d djangojs` here if that changes.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v msgfmt >/dev/null 2>&1 || ! command -v msgmerge >/dev/null 2>&1; then
    echo "update_translations: GNU gettext is missing (apt-get install gettext)" >&2
    exit 1
fi

# The settings insist on a DATABASE_URL; makemessages and compilemessages never connect to it.
export DJANGO_DEBUG=${DJANGO_DEBUG:-1}
export DATABASE_URL=${DATABASE_URL:-postgres://localhost/translations}
PYTHON=${PYTHON:-.venv/bin/python}

# Only our own code: not the virtualenv's packages, local data, test artefacts or the tests (whose strings are
# test data, not UI).
IGNORES=(--ignore=.venv --ignore=.devdata --ignore=tests --ignore=node_modules --ignore=test-results)

mkdir -p locale
"$PYTHON" manage.py makemessages -l en "${IGNORES[@]}"
"$PYTHON" manage.py compilemessages -l en "${IGNORES[@]}"

# Entries still to translate (new strings have an empty msgstr; changed ones are marked fuzzy by msgmerge).
PO=locale/en/LC_MESSAGES/django.po
untranslated=$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$PO" | grep -c '^msgid ' || true)
# msgattrib prints the header entry too whenever it prints anything.
untranslated=$((untranslated > 0 ? untranslated - 1 : 0))
fuzzy=$((fuzzy > 0 ? fuzzy - 1 : 0))
if ((untranslated + fuzzy > 0)); then
    echo "update_translations: $PO has $untranslated untranslated and $fuzzy fuzzy entries: translate them," \
        "remove the fuzzy flags, and run this script again." >&2
    exit 1
fi
echo "update_translations: $PO is complete; compiled to locale/en/LC_MESSAGES/django.mo"
