"""Case API routes, mounted under "api/v1/" by childprotect/api/urls.py (the pages: cases/urls.py).

- cases/ (list, POST to record a case), cases/{id}/ with its timeline, notes and attachments: api/browse.py,
  api/intake.py; cases/duplicates/: the intake's duplicate check.
- cases/{id}/actions/<step>/ (one path per step of the procedure) and cases/{id}/plan/: api/workflow.py.
- referrals/ and transfers/ with their answers: api/referrals.py, api/transfers.py.
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from cases.api import browse, intake, referrals, transfers, workflow

router = SimpleRouter()
router.register("cases", browse.CaseViewSet, basename="case")
router.register("referrals", referrals.ReferralViewSet, basename="referral")
router.register("transfers", transfers.TransferViewSet, basename="transfer")

urlpatterns = [
    # Before anything matching cases/<id>/.
    path("cases/duplicates/", intake.CaseDuplicatesView.as_view(), name="case-duplicates"),
    *router.urls,
    *(
        path(f"cases/<int:case_id>/actions/{action}/", view.as_view(), name=f"case-action-{action}")
        for action, view in workflow.ACTION_VIEWS.items()
    ),
    path("cases/<int:case_id>/plan/", workflow.CasePlanView.as_view(), name="case-plan"),
]
