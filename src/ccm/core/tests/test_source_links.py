"""Source citations as named links (issue #26): an address becomes a link named after its site,
text stays text, and nothing a source holds can inject markup."""

from __future__ import annotations

import re

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from ccm.core.sources import source_links

LINK = re.compile(r'<a href="https?://[^"<>]*" title="[^"<>]*" rel="noopener">[^<>]*</a>')


def test_an_address_becomes_a_link_named_after_its_site() -> None:
    html = source_links("https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXVI-6")
    assert html == (
        '<a href="https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&amp;mtdsg_no=XXVI-6"'
        ' title="https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&amp;mtdsg_no=XXVI-6"'
        ' rel="noopener">UN Treaty Collection</a>'
    )


def test_addresses_without_a_scheme_are_named_by_their_host() -> None:
    html = source_links("clusterconvention.org/?p=4643")
    assert html.startswith('<a href="https://clusterconvention.org/?p=4643"')
    assert html.endswith(">clusterconvention.org</a>")
    assert ">clusterconvention.org</a>" in source_links("www.clusterconvention.org/presidency/")
    assert ">ccm3.pronk.se</a>" in source_links("ccm3.pronk.se/?p=4211")


def test_the_text_around_an_address_stays_and_brackets_stay_outside() -> None:
    html = source_links(
        "Cluster Munition Monitor profile (www.the-monitor.org/en-gb/reports/2023/x.aspx)."
    )
    assert html.startswith("Cluster Munition Monitor profile (<a href=")
    # the citation names the site already: the link says its host rather than repeating it
    assert html.endswith(">the-monitor.org</a>).")
    assert ">Cluster Munition Monitor</a>" in source_links(
        "ISU news https://www.the-monitor.org/en-gb/reports/2020/niger/x.aspx (signed 3 Dec 2008"
    )


def test_plain_text_stays_text() -> None:
    for text in (
        "ISU list of meetings",
        "A/RES/79/249 para 18(b) (notional rate)",
        'spreadsheet "Scale of Assessments for RB 1946-2027.xlsx"',
        "e.g. the 2019 report; i.e. none",
        "auswaertiges-amt.de 170912-Streum",
        "",
    ):
        assert "<a" not in source_links(text)
    assert source_links("CCM Presidency letter of January 2017") == (
        "CCM Presidency letter of January 2017"
    )
    assert source_links(None) == ""


def test_hostile_input_is_escaped() -> None:
    assert source_links("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<a" not in source_links("javascript:alert(1)")
    assert "<a" not in source_links("data:text/html,<b>x</b>")
    html = source_links('https://evil.example.com/"onmouseover="alert(1)')
    assert '"onmouseover' not in html and "&quot;onmouseover=&quot;alert(1)" in html
    html = source_links("https://a.example.org/<img src=x onerror=alert(1)>")
    assert "<img" not in html
    assert "<a" not in source_links("https://[::1/")  # an address urlsplit refuses stays text


@given(st.text(max_size=80))
def test_whatever_the_text_no_markup_but_links_gets_through(text: str) -> None:
    html = str(source_links(text))
    # the only tags are the links the filter makes
    stripped = LINK.sub("", html)
    assert "<" not in stripped and ">" not in stripped


def test_the_template_filter_is_the_same_helper() -> None:
    rendered = Template("{% load ccm_core %}{{ s|source_links }}").render(
        Context({"s": "see treaties.un.org <b>"})
    )
    assert rendered == (
        'see <a href="https://treaties.un.org" title="treaties.un.org" rel="noopener">'
        "UN Treaty Collection</a> &lt;b&gt;"
    )
