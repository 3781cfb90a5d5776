"""Case pages. Each part of the case app keeps its own URL module, combined here."""

from cases.urls import browse, intake, printing, referrals, transfers, workflow

app_name = "cases"
urlpatterns = [
    *intake.urlpatterns,
    *browse.urlpatterns,
    *printing.urlpatterns,
    *workflow.urlpatterns,
    *referrals.urlpatterns,
    *transfers.urlpatterns,
]
