"""The API's JSON parser, with a size and a depth limit: a body too big or nested too deep is a 400 with a
JSON `detail`, never a RecursionError (500) or a worker busy parsing megabytes. Used for every endpoint
(REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]), the token endpoint included."""

from __future__ import annotations

import codecs
import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def json_depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0, [] or {} is 1), without recursion."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        max_bytes = int(settings.API_JSON_MAX_BYTES)
        raw = stream.read(max_bytes + 1) if stream is not None else b""
        if len(raw) > max_bytes:
            raise ParseError(_("Dữ liệu gửi lên quá lớn (tối đa %(size)s byte).") % {"size": max_bytes})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text, parse_constant=self._refuse_constant)
        except RecursionError:
            raise ParseError(self._too_deep()) from None
        except ValueError as exc:  # also UnicodeDecodeError and JSONDecodeError
            raise ParseError(_("JSON không hợp lệ: %(error)s") % {"error": exc}) from None
        if json_depth(data) > settings.API_JSON_MAX_DEPTH:
            raise ParseError(self._too_deep())
        return data

    @staticmethod
    def _refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not valid JSON")

    @staticmethod
    def _too_deep() -> str:
        return _("Dữ liệu JSON lồng nhau quá sâu (tối đa %(depth)s tầng).") % {"depth": settings.API_JSON_MAX_DEPTH}
