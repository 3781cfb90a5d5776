from django.urls import path

from cases.views import intake

urlpatterns = [
    path("new/", intake.intake, name="intake"),
    path("new/duplicates/", intake.intake_duplicates, name="intake-duplicates"),
    path("new/communes/", intake.intake_communes, name="intake-communes"),
    path("drafts/<int:case_id>/", intake.intake_draft, name="intake-draft"),
]
