"""/api/v1/cases/ — list, detail, timeline, notes, attachments (and POST, handed to cases/api/intake.py)."""

from rest_framework.routers import SimpleRouter

from cases.api.browse import CaseViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")

urlpatterns = router.urls
