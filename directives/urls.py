"""Directive pages (app namespace "directives"), mounted under "directives/" by childprotect/urls.py.
The API routes are in directives/api/urls.py (mounted under "api/v1/")."""

from django.urls import path

from directives.views import board, browse, changes, editing, importing, tasks

app_name = "directives"
urlpatterns = [
    path("", browse.directive_list, name="list"),
    path("new/", importing.directive_new, name="new"),
    path("new/check/", importing.directive_review_check, name="new-check"),
    path("<int:pk>/", browse.directive_detail, name="detail"),
    path("<int:pk>/edit/", editing.directive_edit, name="edit"),
    path("<int:pk>/signed-file/", browse.signed_file_download, name="signed-file"),
    path("<int:pk>/tasks/new/", changes.task_add, name="task-add"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/mine/", tasks.my_tasks, name="my-tasks"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task"),
    path("tasks/<int:pk>/reports/", tasks.task_report, name="task-report"),
    path("tasks/<int:pk>/reassign/", changes.task_reassign, name="task-reassign"),
    path("tasks/<int:pk>/redate/", changes.task_redate, name="task-redate"),
    path("tasks/<int:pk>/cancel/", changes.task_cancel, name="task-cancel"),
    path("reports/<int:report_id>/accept/", tasks.report_accept, name="report-accept"),
    path("reports/<int:report_id>/return/", tasks.report_return, name="report-return"),
    path("reports/<int:report_id>/attachment/", tasks.report_attachment, name="report-attachment"),
    path("board/", board.board, name="board"),
]
