"""The client's address, the one way: what the login lockout, the API's rate limits and the audit log all use.

Behind N trusted reverse proxies (settings.TRUSTED_PROXY_COUNT) each proxy appends the address it received the
request from to X-Forwarded-For, so the N-th entry from the right was written by our own outermost proxy and is
the client's; anything to its left was sent by the client and may be forged. With no proxy (0) the header is
ignored: the peer's address is the client's. This is exactly DRF's rule for NUM_PROXIES (SimpleRateThrottle.
get_ident), which the settings set to the same number, so a throttle and a lockout never disagree about who asked.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote: str | None = request.META.get("REMOTE_ADDR") or None
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote
    client: str = addresses[-min(proxies, len(addresses))]
    return client
