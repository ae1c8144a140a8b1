"""Fetch an http(s) SOURCE with a timeout and a size limit, so a slow or huge answer cannot hang
or exhaust `fomo ingest`. Plain urllib: one GET needs no extra dependency."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urljoin, urlparse

from fomo import __version__
from fomo.errors import FomoError
from fomo.kb.urls import is_web_url

TIMEOUT = 20.0  # seconds
SIZE_LIMIT = 10 * 1024 * 1024  # bytes: a week of arXiv listings is well under a megabyte


def is_url(source: str) -> bool:
    return urlparse(source).scheme.lower() in ("http", "https")


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects only to http(s): urllib also follows `ftp://` (and would read a local file
    through it), which would get around the rule `fetch` checks on the URL it is given."""

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        location = headers.get("location") or headers.get("uri") or ""
        target = urljoin(req.full_url, location.strip())
        if not is_web_url(target):
            raise FomoError(
                f"{req.full_url} redirects to {target!r}, which is not an http(s) URL",
                hint="FOMO fetches only http:// and https://; download the file and pass its "
                "path if you trust it",
            )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


_OPENER = urllib.request.build_opener(_WebOnlyRedirects)


def fetch(url: str, *, timeout: float = TIMEOUT, limit: int = SIZE_LIMIT) -> bytes:
    """The body of `url`; FomoError (exit 2) when it cannot be had or is too large."""
    if not is_web_url(url):
        raise FomoError(
            f"{url!r} is not an http(s) URL", hint="give an http:// or https:// URL with a host"
        )
    request = urllib.request.Request(
        url, headers={"User-Agent": f"fomo/{__version__} (+https://github.com/)"}
    )
    hint = "check the URL and your connection, or download the file and pass its path"
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FomoError(
                    f"{url} is {int(declared):,} bytes, over the limit of {limit:,}",
                    hint="download it and pass a smaller file",
                )
            data = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        raise FomoError(
            f"could not fetch {url}: HTTP {error.code} {error.reason}", hint=hint
        ) from error
    except urllib.error.URLError as error:
        raise FomoError(f"could not fetch {url}: {error.reason}", hint=hint) from error
    except TimeoutError as error:
        raise FomoError(
            f"could not fetch {url}: no answer within {timeout:g} s", hint=hint
        ) from error
    except (OSError, ValueError) as error:
        raise FomoError(f"could not fetch {url}: {error}", hint=hint) from error
    if len(data) > limit:
        raise FomoError(
            f"{url} is larger than the limit of {limit:,} bytes",
            hint="download it and pass a smaller file",
        )
    return data
