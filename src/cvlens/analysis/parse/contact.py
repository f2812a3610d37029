"""Contact facts: e-mail, phone (phonenumbers), web site, social profiles and location."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import phonenumbers

from cvlens.analysis.parse.places import split_location
from cvlens.analysis.resume import Location, Profile

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>()\"']+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*"
    r"\.(?:com|org|net|io|dev|me|co|app|xyz|info|tech|ai|page|site|pro|eu|uk|de|fr)"
    r"(?:/[^\s<>()\"']*)?",
    re.IGNORECASE,
)
_HANDLE_RE = re.compile(r"^@?([\w.-]{2,40})\s*\(\s*([A-Za-z][\w .-]{1,20})\s*\)$")

# network name → (domains, how many path segments a profile URL has, URL template)
NETWORKS: dict[str, tuple[tuple[str, ...], int, str]] = {
    "LinkedIn": (("linkedin.com",), 2, "https://www.linkedin.com/in/{}"),
    "GitHub": (("github.com",), 1, "https://github.com/{}"),
    "GitLab": (("gitlab.com",), 1, "https://gitlab.com/{}"),
    "Bitbucket": (("bitbucket.org",), 1, "https://bitbucket.org/{}"),
    "Twitter": (("twitter.com", "x.com"), 1, "https://twitter.com/{}"),
    "StackOverflow": (("stackoverflow.com",), 3, ""),
    "Codepen": (("codepen.io",), 1, "https://codepen.io/{}"),
    "Medium": (("medium.com",), 1, "https://medium.com/{}"),
    "Dribbble": (("dribbble.com",), 1, "https://dribbble.com/{}"),
    "Behance": (("behance.net",), 1, "https://www.behance.net/{}"),
    "Instagram": (("instagram.com",), 1, "https://www.instagram.com/{}"),
    "Facebook": (("facebook.com",), 1, "https://www.facebook.com/{}"),
    "npm": (("npmjs.com",), 1, "https://www.npmjs.com/~{}"),
    "YouTube": (("youtube.com",), 2, ""),
    "Kaggle": (("kaggle.com",), 1, "https://www.kaggle.com/{}"),
    "SoundCloud": (("soundcloud.com",), 1, "https://soundcloud.com/{}"),
    "Dev.to": (("dev.to",), 1, "https://dev.to/{}"),
    "Mastodon": (("mastodon.social",), 1, ""),
}
_NETWORK_ALIASES = {name.casefold().replace(".", ""): name for name in NETWORKS} | {
    "linkediin": "LinkedIn",
    "x": "Twitter",
    "stack overflow": "StackOverflow",
}


def _networks_by_domain() -> dict[str, list[str]]:
    by_domain: dict[str, list[str]] = {}
    for name, (domains, _, _) in NETWORKS.items():
        for domain in domains:
            by_domain.setdefault(domain, []).append(name)
    return by_domain


_NETWORKS_OF = _networks_by_domain()
NETWORK_NAMES = set(_NETWORK_ALIASES) | {"stack overflow", "stackoverflow", "website", "blog"}


def find_email(texts: list[str], links: list[str]) -> str | None:
    for link in links:
        if link.casefold().startswith("mailto:"):
            address = link[7:].split("?")[0]
            if EMAIL_RE.fullmatch(address):
                return address
    for text in texts:
        match = EMAIL_RE.search(text) if "@" in text else None
        if match:
            return match.group(0)
    return None


_MAX_PHONE_CANDIDATES = 40
"""Contact details sit near the top; looking further only costs time on hostile input."""


def find_phone(texts: list[str], links: list[str]) -> str | None:
    """The first phone number phonenumbers accepts as possible; the text as written."""
    candidates = [link[4:] for link in links if link.casefold().startswith("tel:")]
    stripped = [_without_links(t) for t in texts[:_MAX_PHONE_CANDIDATES]]
    candidates += [t for t in stripped if sum(map(str.isdigit, t)) >= 7]
    for text in candidates[:_MAX_PHONE_CANDIDATES]:
        if len(text) > 200:
            continue
        for region in ("US", "GB", "DE", "FR", "IN"):
            for match in phonenumbers.PhoneNumberMatcher(
                text, region, leniency=phonenumbers.Leniency.POSSIBLE
            ):
                raw = str(match.raw_string).strip()
                if _looks_like_dates(raw) or sum(c.isdigit() for c in raw) < 7:
                    continue
                return raw
    return None


def _without_links(text: str) -> str:
    """The text with e-mail addresses and URLs blanked (each needs an "@", a dot or "://")."""
    if "@" in text:
        text = EMAIL_RE.sub(" ", text)
    return URL_RE.sub(" ", text) if "." in text or "://" in text else text


def _looks_like_dates(raw: str) -> bool:
    return bool(re.fullmatch(r"[\d\s./–—-]*(?:19|20)\d\d[\d\s./–—-]*", raw)) and (
        len(re.findall(r"(?:19|20)\d\d", raw)) >= 1 and not raw.startswith(("+", "("))
    )


def _split_url(url: str) -> tuple[str, list[str]]:
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:  # e.g. a stray "[" reads as a broken IPv6 literal
        return "", []
    host = (hostname or "").casefold().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    return host, segments


_DOMAINS = tuple(_NETWORKS_OF)


def network_of(url: str) -> str | None:
    """The social network a *profile* URL belongs to (not a repository, company or post).

    The host of an ASCII URL (less the tabs and line breaks `urlsplit` drops) is part of
    the URL in lower case: a URL that names no network's domain is none of theirs."""
    if url.isascii() and not any(c in url for c in "\t\r\n"):
        lowered = url.lower()
        if not any(domain in lowered for domain in _DOMAINS):
            return None
    return _network_of_split(url)


def _network_of_split(url: str) -> str | None:
    host, segments = _split_url(url)
    labels = host.split(".")  # the host is on a domain when it is one of its dot-suffixes
    names = {n for i in range(len(labels)) for n in _NETWORKS_OF.get(".".join(labels[i:]), ())}
    if not names:
        return None
    for name, (_, max_segments, _) in NETWORKS.items():
        if name not in names or not 1 <= len(segments) <= max_segments:
            continue
        first = segments[0].casefold()
        if name == "LinkedIn" and first not in ("in", "pub"):
            return None
        if name == "YouTube" and not (first in ("c", "channel", "user") or first[:1] == "@"):
            return None
        if name == "StackOverflow" and first != "users":
            return None
        return name
    return None


def find_urls(texts: list[str]) -> list[str]:
    found: list[str] = []
    for text in texts:
        if "." not in text and "://" not in text:
            continue  # every URL has a scheme or a dot before its top-level domain
        for match in URL_RE.finditer(text):
            url = match.group(0).rstrip(".,;:)")
            if "@" in text[max(0, match.start() - 1) : match.start()]:
                continue  # the domain of an e-mail address
            found.append(url)
    return found


def _profile(url: str, network: str) -> Profile:
    _, segments = _split_url(url)
    username = segments[-1].lstrip("~@") if segments else None
    full = url if "://" in url else "https://" + url
    return Profile(network=network, username=username, url=full)


def find_profiles(
    texts: list[str], links: list[str], section: list[str] | None = None
) -> list[Profile]:
    """Profiles from URLs near the top, link targets, "handle (Network)" lines, and every
    URL of a Profiles section."""
    profiles: dict[str, Profile] = {}
    near = " ".join(texts).casefold()
    for url in find_urls(texts):
        network = network_of(url)
        if network:
            profiles.setdefault(_key(url), _profile(url, network))
    for url in links:
        network = network_of(url)
        if not network:
            continue
        _, segments = _split_url(url)
        # a link target counts when its handle or its network is named near the top
        if segments[-1].casefold() in near or network.casefold() in near:
            profiles.setdefault(_key(url), _profile(url, network))
    for text in section or []:
        for url in find_urls([text]):
            host, _ = _split_url(url)
            network = network_of(url) or (host.split(".")[-2].title() if "." in host else None)
            if network:
                profiles.setdefault(_key(url), _profile(url, network))
    for text in texts:
        match = _HANDLE_RE.match(text.strip())
        if not match:
            continue
        network = _NETWORK_ALIASES.get(match.group(2).casefold().replace(".", ""))
        handle = match.group(1)
        if network is None or any(
            (p.username or "").casefold() == handle.casefold() for p in profiles.values()
        ):
            continue
        linked = [u for u in links if u.rstrip("/").casefold().endswith("/" + handle.casefold())]
        url = linked[0] if linked else NETWORKS[network][2].format(handle)
        if url:
            profiles.setdefault(_key(url), Profile(network=network, username=handle, url=url))
    return list(profiles.values())


def _key(url: str) -> str:
    host, segments = _split_url(url)
    return (host + "/" + "/".join(segments)).casefold()


def find_website(texts: list[str], email: str | None, links: list[str]) -> str | None:
    """A personal site: the first URL that is neither a social profile nor the mail domain.

    A bare domain ("acme.dev") counts only when the file also links to it, so that a
    skill such as "Cypress.io" is not taken for a web site.
    """
    mail_domain = email.split("@", 1)[1].casefold() if email else None
    linked_hosts = {_split_url(link)[0] for link in links if "://" in link}
    for url in find_urls(texts):
        host, segments = _split_url(url)
        if not host or network_of(url) or any(host.endswith(d) for d in _SOCIAL_HOSTS):
            continue
        explicit = url.casefold().startswith(("http", "www."))
        if not explicit and host not in linked_hosts:
            continue
        if mail_domain and host == mail_domain and not segments and not explicit:
            continue
        return _completed(url, links)
    return None


def _bare(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().casefold()).rstrip("/")


def _completed(url: str, links: list[str]) -> str:
    """A web address cut short by a line wrap ("www.example.d" / "ev") is completed from
    the file's own link to it."""
    bare = _bare(url)
    for link in links:
        if "://" in link and _bare(link) != bare and _bare(link).startswith(bare):
            return link
    return url


_SOCIAL_HOSTS = tuple(d for domains, _, _ in NETWORKS.values() for d in domains)


_FIELD_SEPARATOR_RE = re.compile(r"\s+[|·•]\s+")


def find_location(texts: list[str]) -> Location | None:
    """The first text, or part of a contact line ("dana@example.org | Oakland, CA"), that
    is nothing but a place."""
    for text in texts:
        for part in _FIELD_SEPARATOR_RE.split(text):
            location = split_location(part)
            if location is not None:
                return location
    return None
