"""What an OPTIONS request answers (REST_FRAMEWORK["DEFAULT_METADATA_CLASS"]): the endpoint's name, description
and formats. The fields of its requests are in the OpenAPI schema (/api/schema/), the one description of the API;
DRF's own metadata would build each write's serializer and look the record up, which an action without a record
(`PUT notifications/preferences/`) cannot do (it answered 500)."""

from __future__ import annotations

from typing import Any

from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request


class SchemaMetadata(SimpleMetadata):
    def determine_metadata(self, request: Request, view: Any) -> dict[str, Any]:
        metadata: dict[str, Any] = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        return metadata

    def determine_actions(self, request: Request, view: Any) -> dict[str, Any]:
        return {}
