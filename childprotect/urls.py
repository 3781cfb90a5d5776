"""The site's URLs: the platform's own pages here, each app's pages under its prefix (<app>/urls.py, with its
namespace), and the API under api/v1/ (childprotect/api/urls.py, which includes each app's api/urls.py)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from childprotect.views import api_docs, api_tokens, auth, health, notifications, pages

notification_patterns = [
    path("", notifications.notification_list, name="notifications"),
    path("<int:notification_id>/read/", notifications.notification_read, name="notification-read"),
    path("read-all/", notifications.notification_read_all, name="notifications-read-all"),
    path("bell/", notifications.notification_bell, name="notification-bell"),
    path("preferences/", notifications.notification_preferences, name="notification-preferences"),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/verify/", auth.otp_verify, name="otp-verify"),
    path("login/setup-2fa/", auth.otp_setup, name="otp-setup"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("account/tokens/", api_tokens.api_tokens, name="api-tokens"),
    path("account/tokens/<str:token_id>/revoke/", api_tokens.revoke_api_token, name="api-token-revoke"),
    path("users/", pages.user_list, name="users"),
    path("users/<int:user_id>/", pages.user_detail, name="user-detail"),
    path("audit/", pages.audit_log, name="audit-log"),
    path("audit/<int:event_id>/", pages.audit_event_detail, name="audit-event"),
    path("cases/", include("cases.urls")),
    path("directives/", include("directives.urls")),
    path("reports/", include("reporting.urls")),
    path("notifications/", include(notification_patterns)),
    path("i18n/setlang/", pages.set_language, name="set_language"),
    path("api/v1/", include("childprotect.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs.ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path(settings.ADMIN_URL, admin.site.urls),
]

# A database that is down answers 503 with Retry-After instead of 500 (childprotect/views/errors.py).
handler500 = "childprotect.views.errors.server_error"
# Under /api/, an address no route matches answers the API's JSON 404, like a record that does not exist.
handler404 = "childprotect.views.errors.not_found"
