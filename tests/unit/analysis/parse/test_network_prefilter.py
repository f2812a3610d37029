"""The substring test in front of `network_of` decides as reading the URL's host does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cvlens.analysis.parse import contact

HOSTS = [*contact._DOMAINS, "www.linkedin.com", "LinkedIn.COM", "linked\tin.com",
         "git\nhub.com", "gïthub.com", "example.com", "notgithub.com", "github.company.io",
         "user@github.com", "github.com:443", "[::1]", "mastodon.social.example"]  # fmt: skip
PATHS = ["", "/", "/in/dana", "/dana", "/users/1/dana", "/c/dana", "/@dana", "/x/github.com",
         "?q=linkedin.com", "#twitter.com", "/a/b/c/d"]  # fmt: skip
SCHEMES = ["", "https://", "http://", "HTTPS://", "ftp://", " https://"]


@settings(max_examples=3000, deadline=None)
@given(st.sampled_from(SCHEMES), st.sampled_from(HOSTS), st.sampled_from(PATHS))
def test_network_of_agrees_with_the_host(scheme: str, host: str, path: str) -> None:
    url = scheme + host + path
    assert contact.network_of(url) == contact._network_of_split(url)


def test_network_of_reads_profiles_and_skips_other_sites() -> None:
    assert contact.network_of("https://www.linkedin.com/in/dana") == "LinkedIn"
    assert contact.network_of("github.com/dana") == "GitHub"
    assert contact.network_of("https://example.com/github") is None
    assert (
        contact.network_of("linked\tin.com/in/dana") == "LinkedIn"
    )  # tabs dropped as urlsplit does
    assert contact.network_of("https://github.company.io/dana") is None
