"""The client's address behind the site's reverse proxies, for the login lockout
(``AXES_CLIENT_IP_CALLABLE``, through ``lms.services.login_lockout``) and the rate limits.

The address is ``REMOTE_ADDR`` unless the request comes from one of ``LMS_TRUSTED_PROXIES``
(addresses or networks): then the right-most ``X-Forwarded-For`` entry that is not itself a
trusted proxy. Without trusted proxies ``X-Forwarded-For`` is ignored, so nobody can choose
their own address. Kept apart from the lockout so that importing it needs no django-axes."""

import ipaddress

from lms.conf import app_settings


def _networks():
    networks = []
    for entry in app_settings.LMS_TRUSTED_PROXIES:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return networks


def _address(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_ip(request):
    """The client's address, believing ``X-Forwarded-For`` only from trusted proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks()
    if not networks or not _trusted(_address(remote), networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed(forwarded):
        address = _address(entry)
        if address is None:
            # Garbage in the header: stop at the last address a trusted proxy vouched for.
            return remote
        if not _trusted(address, networks):
            return str(address)
        remote = str(address)
    return remote
