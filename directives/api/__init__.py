"""Directive API under /api/v1/ (routes in directives/api/urls.py, serializers in directives/api/serializers/).

- parse.py: POST directives/parse/ — the importer's proposal, nothing saved.
- directives.py: GET/POST directives/, GET directives/{id}/.
- tasks.py: GET directive-tasks/ (?agency=&commune=&status=&directive=), GET directive-tasks/{id}/,
  GET/POST directive-tasks/{id}/reports/; POST directive-reports/{id}/accept/ and /return/, the report file;
  GET directive-compliance/ (the board's figures).
- changes.py: POST directives/{id}/tasks/ (a task added by a follow-up document), POST directive-tasks/{id}/
  reassign/, redate/, cancel/, GET directive-tasks/{id}/changes/ (the task's history of changes).
"""

from directives.api.parse import CanImportDirectives, DirectiveParseView

__all__ = ["CanImportDirectives", "DirectiveParseView"]
