"""/api/v1/referrals/ and /api/v1/transfers/."""

from rest_framework.routers import SimpleRouter

from cases.api.referrals import ReferralViewSet
from cases.api.transfers import TransferViewSet

router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="referral")
router.register("transfers", TransferViewSet, basename="transfer")

urlpatterns = router.urls
