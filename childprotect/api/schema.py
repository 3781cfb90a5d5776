"""OpenAPI description of our own authentication class (drf-spectacular needs to be told it is a session)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class VerifiedSessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call] # untyped lib
    target_class = "childprotect.api.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
