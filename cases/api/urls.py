"""Case API under /api/v1/: each part keeps its own URL module, combined here."""

from cases.api import browse_urls, intake_urls, referral_urls, workflow_urls

urlpatterns = [
    *intake_urls.urlpatterns,
    *browse_urls.urlpatterns,
    *workflow_urls.urlpatterns,
    *referral_urls.urlpatterns,
]
