"""Directive pages: importing.py (paste → review → confirm), browse.py (list, directive page, signed file),
tasks.py (task lists, the task page, reports and their review), board.py (the compliance board)."""
