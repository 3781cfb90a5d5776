from django.urls import include, path
from rest_framework.routers import DefaultRouter

from childprotect.api import views
from childprotect.api.notifications import NotificationViewSet

router = DefaultRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("audit-events", views.AuditEventViewSet, basename="audit-event")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("auth/tokens", views.ApiTokenViewSet, basename="api-token-own")

urlpatterns = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="api-token"),
    path("", include("directives.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("reporting.api.urls")),
    path("", include(router.urls)),
]
