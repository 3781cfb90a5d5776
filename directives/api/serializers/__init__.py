"""Request and response shapes of the directive API: parse.py (the importer), directives.py, tasks.py."""
