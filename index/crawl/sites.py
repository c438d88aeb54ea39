"""SITES.toml: which report columns to crawl, and how politely.

A file has one ``[crawler]`` table (who we are, limits) and one ``[[site]]``
table per site.  Link rules are regular expressions searched in absolute
URLs, so one rule can name a path shape (``/art/20\\d\\d/``) or a pagination
file (``index_\\d+\\.html``) without knowing the host.  Everything is checked
before the first request: a typo must not cost a night's crawl.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from govsearch.index.limits import MAX_INPUT_MB

# Politeness caps a SITES.toml cannot raise.
MAX_CONCURRENCY_PER_HOST = 2
MIN_DELAY = 0.0


class SitesError(ValueError):
    """A SITES.toml that cannot be crawled as written (message says where)."""


@dataclass(frozen=True)
class Site:
    name: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    report_links: tuple[re.Pattern, ...]
    list_links: tuple[re.Pattern, ...] = ()
    deny_links: tuple[re.Pattern, ...] = ()
    delay: float | None = None  # seconds between requests to this site's hosts

    def allows(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def role_of(self, url: str) -> str | None:
        """``report``, ``list`` or None (a link this site does not follow)."""
        if not self.allows(url) or any(p.search(url) for p in self.deny_links):
            return None
        if any(p.search(url) for p in self.report_links):
            return "report"
        if any(p.search(url) for p in self.list_links):
            return "list"
        return None


@dataclass(frozen=True)
class CrawlerSettings:
    contact: str = ""  # an e-mail or URL; goes into the User-Agent
    timeout: float = 30.0  # seconds per request
    max_size_mb: float = MAX_INPUT_MB  # DOWNLOAD_MAXSIZE; ingest's file cap too
    retries: int = 2
    delay: float = 1.0  # default seconds between requests to one host
    concurrency_per_host: int = MAX_CONCURRENCY_PER_HOST


@dataclass(frozen=True)
class SitesFile:
    path: Path
    crawler: CrawlerSettings
    sites: tuple[Site, ...] = field(default_factory=tuple)

    def site_named(self, name: str) -> Site:
        return next(s for s in self.sites if s.name == name)


def _strings(table: dict, key: str, where: str, *, required: bool = True) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SitesError(f"{where}: {key} must be a list of non-empty strings")
    if required and not value:
        raise SitesError(f"{where}: {key} is required")
    return tuple(v.strip() for v in value)


def _patterns(table: dict, key: str, where: str, *, required: bool = False) -> tuple[re.Pattern, ...]:
    compiled = []
    for rule in _strings(table, key, where, required=required):
        try:
            compiled.append(re.compile(rule))
        except re.error as exc:
            raise SitesError(f"{where}: {key} rule {rule!r} is not a valid regular expression: {exc}") from None
    return tuple(compiled)


def _number(table: dict, key: str, where: str, default, *, low: float, high: float, kind=float):
    value = table.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise SitesError(f"{where}: {key} must be a number from {low} to {high}, not {value!r}")
    return kind(value)


def _site(table: dict, index: int) -> Site:
    where = f"[[site]] #{index}"
    if not isinstance(table.get("name"), str) or not table["name"].strip():
        raise SitesError(f"{where}: name is required")
    name = table["name"].strip()
    where = f"[[site]] {name!r}"
    unknown = set(table) - {"name", "start_urls", "allowed_domains", "report_links", "list_links",
                            "deny_links", "delay"}
    if unknown:
        raise SitesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    start_urls = _strings(table, "start_urls", where)
    for url in start_urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SitesError(f"{where}: start URL {url!r} is not an http(s) URL")
    domains = _strings(table, "allowed_domains", where, required=False) or tuple(
        dict.fromkeys(urlsplit(u).hostname for u in start_urls))
    site = Site(name=name, start_urls=start_urls,
                allowed_domains=tuple(d.lower().lstrip(".") for d in domains),
                report_links=_patterns(table, "report_links", where, required=True),
                list_links=_patterns(table, "list_links", where),
                deny_links=_patterns(table, "deny_links", where),
                delay=_number(table, "delay", where, None, low=MIN_DELAY, high=600))
    for url in start_urls:
        if not site.allows(url):
            raise SitesError(f"{where}: start URL {url} is outside allowed_domains {list(site.allowed_domains)}")
    return site


def _crawler(table: dict) -> CrawlerSettings:
    where = "[crawler]"
    unknown = set(table) - {"contact", "timeout", "max_size_mb", "retries", "delay", "concurrency_per_host"}
    if unknown:
        raise SitesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    contact = table.get("contact", "")
    if not isinstance(contact, str):
        raise SitesError(f"{where}: contact must be a string (an e-mail address or URL)")
    d = CrawlerSettings()
    return CrawlerSettings(
        contact=contact.strip(),
        timeout=_number(table, "timeout", where, d.timeout, low=0.1, high=600),
        max_size_mb=_number(table, "max_size_mb", where, d.max_size_mb, low=0.001, high=1024),
        retries=_number(table, "retries", where, d.retries, low=0, high=10, kind=int),
        delay=_number(table, "delay", where, d.delay, low=MIN_DELAY, high=600),
        concurrency_per_host=_number(table, "concurrency_per_host", where, d.concurrency_per_host,
                                     low=1, high=MAX_CONCURRENCY_PER_HOST, kind=int),
    )


def load_sites(path: Path) -> SitesFile:
    """Read and check a SITES.toml.  Raises SitesError with a message that
    names the file, table and key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SitesError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SitesError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SitesError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"crawler", "site"}
    if unknown:
        raise SitesError(f"{path}: unknown table(s) {', '.join(sorted(unknown))}; expected [crawler] and [[site]]")
    tables = data.get("site", [])
    if not isinstance(tables, list) or not tables:
        raise SitesError(f"{path}: no [[site]] tables: nothing to crawl")
    try:
        sites = tuple(_site(t, i) for i, t in enumerate(tables, 1))
        crawler = _crawler(data.get("crawler", {}))
    except SitesError as exc:
        raise SitesError(f"{path}: {exc}") from None
    names = [s.name for s in sites]
    if len(set(names)) != len(names):
        raise SitesError(f"{path}: site names must be unique")
    return SitesFile(path=path, crawler=crawler, sites=sites)
