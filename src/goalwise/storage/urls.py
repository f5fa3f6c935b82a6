"""Showing a database URL without its password, however the URL is written.

SQLAlchemy's own masking parses the URL first, so a password holding an unencoded ``/``, ``#``
or ``@`` is cut in the wrong place and most of it is printed. This masks by position instead:
everything between the first ``:`` after the scheme and the last ``@`` before the host is the
password, and a ``password=`` query parameter is masked too.
"""

from __future__ import annotations

import re

__all__ = ["has_unencoded_password", "mask_password"]

_QUERY_PASSWORD = re.compile(r"(?i)((?:^|[?&;])password=)[^&;]*")
_USER_THEN_PASSWORD = re.compile(r"^[^/:@?#]+:(?P<password>.*)$", re.S)


def mask_password(url: str) -> str:
    """``url`` with any password replaced by ``***``; never raises."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "(not a database URL)" if ":" in url or "@" in url else url
    if scheme.startswith("sqlite"):  # a file path, no password; "@" may be part of a file name
        return url
    if "@" in rest:
        userinfo, _, host = rest.rpartition("@")
        user, colon, _ = userinfo.partition(":")
        # A user name holds no "/", so one that does is a path: mask it all rather than guess.
        if "/" in user:
            user = "***"
        rest = f"{user}{':***' if colon else ''}@{host}"
    return f"{scheme}://" + _QUERY_PASSWORD.sub(r"\1***", rest)


def has_unencoded_password(url: str) -> bool:
    """True when the password in ``url`` holds a ``/``, ``#``, ``@`` or ``?`` that is not percent-encoded.

    Such a URL parses into a wrong host or database and fails with a misleading message, so it
    is refused up front with the fix.
    """
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.startswith("sqlite") or "@" not in rest:
        return False
    found = _USER_THEN_PASSWORD.match(rest.rpartition("@")[0])
    return found is not None and any(char in found.group("password") for char in "/#@?")
