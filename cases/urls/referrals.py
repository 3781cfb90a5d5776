"""Referral pages (app namespace "cases"): the list (inbox or sent), one referral and its answers, and creating
one from a case."""

from django.urls import path

from cases.views import referrals

urlpatterns = [
    path("referrals/", referrals.referral_list, name="referral-list"),
    path("referrals/<int:referral_id>/", referrals.referral_detail, name="referral-detail"),
    path("referrals/<int:referral_id>/<slug:answer>/", referrals.referral_answer, name="referral-answer"),
    path("<int:pk>/referrals/new/", referrals.referral_new, name="referral-new"),
    path("<int:pk>/referrals/agencies/", referrals.referral_agencies, name="referral-agencies"),
]
