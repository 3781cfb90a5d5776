from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from childprotect.views import api_docs, api_tokens, auth, health, pages

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
    path("directives/", include("directives.urls_pages")),
    path("reports/", include("reporting.urls")),
    path("notifications/", include("childprotect.urls_notifications")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("childprotect.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs.ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path(settings.ADMIN_URL, admin.site.urls),
]

# A database that is down answers 503 with Retry-After instead of 500 (childprotect/views/errors.py).
handler500 = "childprotect.views.errors.server_error"
