"""Source citations as people read them (issue #26): an address in a source becomes a link named
after its site ("UN Treaty Collection", "clusterconvention.org") instead of a raw URL; the rest
of the citation stays text. One helper, used by the `source_links` template filter everywhere a
source is printed."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.utils.functional import Promise
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# Sites cited often, by the name their readers know them by (the host, without "www.", and its
# sub-domains). Anything else is named by its host.
KNOWN: dict[str, str | Promise] = {
    "treaties.un.org": _("UN Treaty Collection"),
    "the-monitor.org": "Cluster Munition Monitor",
    "stopclustermunitions.org": "Cluster Munition Coalition",
    "hrw.org": "Human Rights Watch",
    "documents.un.org": _("UN Official Documents"),
    "undocs.org": _("UN Official Documents"),
    "digitallibrary.un.org": _("UN Digital Library"),
    "un.org": _("United Nations"),
}
# A bare host is taken for an address only under these endings, or a country's two letters with
# a path or a sub-domain: "2027.xlsx" or "e.g." stay text.
GENERIC = {"com", "org", "net", "int", "gov", "edu", "mil", "info"}
HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,})$", re.IGNORECASE)
LEADING = "(<[\"'"
TRAILING = ".,:;!?)>]\"'"


def _url(word: str) -> str | None:
    """The address a word of a citation stands for (http or https only), or None."""
    lowered = word.lower()
    if lowered.startswith(("http://", "https://")):
        candidate = word
    elif lowered.startswith("www."):
        candidate = "https://" + word
    else:
        host, slash, _rest = word.partition("/")
        found = HOST.match(host)
        if not found:
            return None
        ending = found.group(1).lower()
        if ending not in GENERIC and not (len(ending) == 2 and (slash or host.count(".") >= 2)):
            return None
        candidate = "https://" + word
    try:
        parts = urlsplit(candidate)
        hostname = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not hostname or not HOST.match(hostname):
        return None
    return candidate


def site_name(url: str, context: str = "") -> str:
    """The name a link to `url` shows: a known site's name (unless the citation around it
    already says it), else its host without "www."."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    for known, label in KNOWN.items():
        name = str(label)
        if (host == known or host.endswith("." + known)) and name.lower() not in context.lower():
            return name
    return host


def _split(word: str) -> tuple[str, str, str]:
    """A word's leading and trailing punctuation apart from it; a closing bracket that closes
    one inside the address stays with it (Wikipedia-style addresses)."""
    lead = ""
    while word and word[0] in LEADING:
        lead, word = lead + word[0], word[1:]
    trail = ""
    while word and word[-1] in TRAILING:
        if word[-1] == ")" and word.count("(") >= word.count(")"):
            break
        trail, word = word[-1] + trail, word[:-1]
    return lead, word, trail


def source_links(text: object) -> SafeString:
    """A citation as HTML: each address a link named after its site, everything else escaped
    text. The address itself goes only into href (escaped); a non-web scheme stays text."""
    value = "" if text is None else str(text)
    out: list[str] = []
    for piece in re.split(r"(\s+)", value):
        if not piece or piece.isspace():
            out.append(piece)
            continue
        lead, word, trail = _split(piece)
        url = _url(word) if word else None
        if url is None:
            out.append(escape(piece))
            continue
        link = format_html(
            '<a href="{}" title="{}" rel="noopener">{}</a>', url, word, site_name(url, value)
        )
        out.append(escape(lead) + link + escape(trail))
    return mark_safe("".join(out))  # every piece above is escaped or built by format_html
