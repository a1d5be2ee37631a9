"""The client's own address when cledss sits behind the hospital's proxies (``CLEDSS_TRUSTED_PROXIES``).

Each proxy appends the address it was reached from to ``X-Forwarded-For``, and the last one connects to
cledss (``REMOTE_ADDR``). Behind N trusted proxies the client is therefore the N-th address from the
right: whatever stands left of it was written by the client and proves nothing. With no proxy, the
connection's own address is the client's. A request that did not pass every proxy (fewer addresses
than that) is taken to come from the address that connected.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    connected = request.META.get("REMOTE_ADDR")
    trusted = settings.TRUSTED_PROXIES
    if not trusted:
        return connected
    forwarded = [address.strip() for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    return forwarded[-trusted] if len(forwarded) >= trusted else connected
