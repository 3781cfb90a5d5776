from django.urls import path

from directives.api import DirectiveParseView

urlpatterns = [
    path("directives/parse/", DirectiveParseView.as_view(), name="directive-parse"),
]
