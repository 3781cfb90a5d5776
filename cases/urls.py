"""Case pages (app namespace "cases"), mounted under "cases/" by childprotect/urls.py. The API routes are in
cases/api/urls.py."""

from django.urls import path

from cases.views import browse, intake, referrals, transfers, workflow

app_name = "cases"
urlpatterns = [
    # Intake: a new case, its drafts, and the live checks of the intake page.
    path("new/", intake.intake, name="intake"),
    path("new/duplicates/", intake.intake_duplicates, name="intake-duplicates"),
    path("new/communes/", intake.intake_communes, name="intake-communes"),
    path("drafts/<int:case_id>/", intake.intake_draft, name="intake-draft"),
    # Finding cases and the case page, with its notes and attachments.
    path("", browse.case_list, name="list"),
    path("<int:pk>/", browse.case_detail, name="detail"),
    path("<int:pk>/notes/", browse.note_add, name="note-add"),
    path("<int:pk>/attachments/", browse.attachment_add, name="attachment-add"),
    path("<int:pk>/attachments/<int:attachment_id>/", browse.attachment_download, name="attachment"),
    # The procedure: one POST endpoint per step, and the plan page.
    path("<int:pk>/actions/<slug:action>/", workflow.workflow_action, name="workflow-action"),
    path("<int:pk>/plan/", workflow.plan_page, name="plan"),
    # Referrals: the list (inbox or sent), one referral and its answers, and creating one from a case.
    path("referrals/", referrals.referral_list, name="referral-list"),
    path("referrals/<int:referral_id>/", referrals.referral_detail, name="referral-detail"),
    path("referrals/<int:referral_id>/<slug:answer>/", referrals.referral_answer, name="referral-answer"),
    path("<int:pk>/referrals/new/", referrals.referral_new, name="referral-new"),
    path("<int:pk>/referrals/agencies/", referrals.referral_agencies, name="referral-agencies"),
    # Transfer requests between communes.
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
