"""Transfer requests between communes (app namespace "cases")."""

from django.urls import path

from cases.views import transfers

urlpatterns = [
    path("transfers/", transfers.transfer_list, name="transfer-list"),
    path("transfers/<int:transfer_id>/", transfers.transfer_detail, name="transfer-detail"),
    *(
        path(
            f"transfers/<int:transfer_id>/{answer}/",
            transfers.transfer_answer,
            {"answer": answer},
            name=f"transfer-{answer}",
        )
        for answer in ("accept", "decline", "cancel")
    ),
]
