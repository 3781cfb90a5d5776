"""Finding cases and the case page (app namespace "cases")."""

from django.urls import path

from cases.views import browse

urlpatterns = [
    path("", browse.case_list, name="list"),
    path("<int:pk>/", browse.case_detail, name="detail"),
    path("<int:pk>/notes/", browse.note_add, name="note-add"),
    path("<int:pk>/attachments/", browse.attachment_add, name="attachment-add"),
    path("<int:pk>/attachments/<int:attachment_id>/", browse.attachment_download, name="attachment"),
]
