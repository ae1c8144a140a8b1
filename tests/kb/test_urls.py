import pytest

from fomo.kb.urls import is_web_url


@pytest.mark.parametrize(
    "url", ["https://example.org", "HTTPS://Example.org/a?b=1#c", "http://x.io/path_(1)"]
)
def test_web_urls_pass(url: str) -> None:
    assert is_web_url(url)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "file:///etc/passwd",
     "//example.org", "https://", "https://exa mple.org", "https://x.org/\nnext", "ftp://x.org",
     None, 42, "https:\\\\evil"],
)  # fmt: skip
def test_everything_else_is_refused(url: object) -> None:
    assert not is_web_url(url)
