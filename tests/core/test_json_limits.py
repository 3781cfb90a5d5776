"""Finding 4 (JSON part) of issue 13: deeply nested or oversized JSON is a 400 with a JSON detail, at the parser,
for every endpoint. Before, about 2 KB of "[" made the JSON parser raise RecursionError: a 500."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/cases/", "/api/v1/referrals/"])
def test_deeply_nested_json_is_a_400(personas, client_for, path):
    client = Client() if path.endswith("token/") else client_for(personas.officer_a1)
    response = client.post(path, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json() and response.json()["code"] == "parse_error"


def test_moderate_nesting_beyond_the_limit_is_a_400(personas, client_for, settings):
    settings.API_JSON_MAX_DEPTH = 5
    body = '{"a": [[[[["too deep"]]]]]}'
    response = client_for(personas.officer_a1).post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


def test_an_oversized_body_is_a_400(personas, client_for, settings):
    settings.API_JSON_MAX_BYTES = 1000
    body = '{"summary": "' + "x" * 2000 + '"}'
    response = client_for(personas.officer_a1).post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


def test_ordinary_json_still_parses(personas):
    response = Client().post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, content_type="application/json"
    )
    assert response.status_code == 400 and "non_field_errors" in response.json()


def test_every_api_view_parses_json_through_the_bounded_parser():
    from django.urls import get_resolver
    from rest_framework.parsers import JSONParser

    from childprotect.api.parsers import BoundedJSONParser

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                yield pattern.callback

    checked = 0
    for callback in views(get_resolver().url_patterns):
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        parsers = getattr(view_class, "parser_classes", None)
        if parsers is None:
            continue
        checked += 1
        json_parsers = [parser for parser in parsers if issubclass(parser, JSONParser)]
        assert all(issubclass(parser, BoundedJSONParser) for parser in json_parsers), view_class
    assert checked > 20
