"""Notification pages, mounted under "notifications/" by childprotect/urls.py."""

from django.urls import path

from childprotect.views import notifications

urlpatterns = [
    path("", notifications.notification_list, name="notifications"),
    path("<int:notification_id>/read/", notifications.notification_read, name="notification-read"),
    path("read-all/", notifications.notification_read_all, name="notifications-read-all"),
    path("bell/", notifications.notification_bell, name="notification-bell"),
    path("preferences/", notifications.notification_preferences, name="notification-preferences"),
]
