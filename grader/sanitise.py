"""Learner HTML and markdown made safe to show on a page the trainer or a learner opens.

Learner markdown, ``text/markdown`` and ``text/html`` outputs are hostile input. Markdown is
rendered FIRST (markdown-it, CommonMark), and only then is the resulting HTML cleaned by nh3
(the ammonia sanitiser): an allow-list of tags, attributes and URL schemes, applied to the
parsed document, so ``javascript:`` in any case, entity-encoded or split by tabs and
newlines, ``vbscript:`` and ``data:text/html`` never survive, whatever markdown or HTML
produced them.

Nothing is ever read from disk: an image is kept only if it is already inside the page (a
``data:image/...;base64`` URI) or is a cell attachment of the notebook itself
(``attachment:name``). Every other source — a relative or absolute path, ``file:``, a remote
``http(s)`` address — is dropped, so a page can neither embed a trainer's file nor load
anything from the network. Links may point to ``http``, ``https``, ``mailto`` and ``#anchors``.

Public API (also used by the cohort report): :func:`clean_html`, :func:`markdown_html`.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Mapping
from functools import lru_cache

import nh3

TAGS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "div", "em"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s"),
        *("span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead"),
        *("tr", "u", "ul", "dl", "dt", "dd", "kbd", "samp", "var", "details", "summary"),
    }
)
ATTRIBUTES = {
    "*": {"class", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "ol": {"start"},
}
# Content of these is dropped with the tag (not shown as text).
_DROP_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"})
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_DATA_IMAGE = re.compile(r"data:(image/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\s]*)", re.I)
MAX_IMAGE_BYTES = 5 * 1024 * 1024
# a dangerous scheme left as TEXT (markdown refused the link): harmless, but a zero-width space
# before the colon keeps it from ever being read as a scheme (by a browser or a naive scanner)
_SCHEME_TEXT = re.compile(
    r"(j\s*a\s*v\s*a|v\s*b)(\s*s\s*c\s*r\s*i\s*p\s*t\s*)(:)|(d\s*a\s*t\s*a\s*)(:)(\s*text/html)",
    re.I,
)


def image_data_uri(mime: str, payload: object) -> str | None:
    """``data:`` URI for base64 image data of an allowed type; None if unusable."""
    mime = str(mime).lower()
    if mime not in IMAGE_TYPES:
        return None
    if isinstance(payload, list):
        payload = "".join(p for p in payload if isinstance(p, str))
    if not isinstance(payload, str) or len(payload) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        return None
    if mime == "image/svg+xml" and not payload.lstrip().startswith(("PH", "PD")):
        # notebooks store SVG as text; an <img> shows it without running its scripts
        payload = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    compact = re.sub(r"\s+", "", payload)
    try:
        base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    return f"data:{mime};base64,{compact}"


def _attachment_uri(name: str, attachments: Mapping | None) -> str | None:
    bundle = (attachments or {}).get(name)
    if not isinstance(bundle, Mapping):
        return None
    for mime, payload in bundle.items():
        uri = image_data_uri(mime, payload)
        if uri:
            return uri
    return None


def _url_filter(attachments: Mapping | None):
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in {"href", "src"}:
            return value
        # ammonia has already decoded entities; browsers also ignore these characters
        url = re.sub(r"[\x00-\x20]+", "", value)
        lowered = url.lower()
        if tag == "img" and attribute == "src":
            if lowered.startswith("attachment:"):
                return _attachment_uri(value.strip()[len("attachment:") :], attachments)
            match = _DATA_IMAGE.fullmatch(value.strip())
            return image_data_uri(match[1], match[2]) if match else None
        linkable = lowered.startswith(_LINK_SCHEMES) or (url.startswith("#") and ":" not in url)
        return value if tag == "a" and attribute == "href" and linkable else None

    return keep


def defuse(text: str) -> str:
    """``javascript:``/``vbscript:``/``data:text/html`` in text get a zero-width space."""

    def cut(match: re.Match) -> str:
        if match[1]:
            return f"{match[1]}{match[2]}\u200b:"
        return f"{match[4]}\u200b:{match[6]}"

    return _SCHEME_TEXT.sub(cut, text)


def clean_html(fragment: str, *, attachments: Mapping | None = None) -> str:
    """An HTML fragment reduced to the allow-list (tags, attributes, URL schemes).

    Args:
        fragment: untrusted HTML.
        attachments: the cell's own ``attachments`` (name -> {mime: base64}); images named
            ``attachment:<name>`` are taken from here and nowhere else.
    """
    return defuse(
        nh3.clean(
            str(fragment),
            tags=set(TAGS),
            clean_content_tags=set(_DROP_WITH_CONTENT),
            attributes={k: set(v) for k, v in ATTRIBUTES.items()},
            attribute_filter=_url_filter(attachments),
            url_schemes={"http", "https", "mailto", "data", "attachment"},
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
    )


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, double_inline=True, allow_space=True, allow_digits=True)

    # math stays TeX text (escaped) between MathJax delimiters; markdown must not touch it
    def inline(self, tokens, idx, options, env):
        return f'<span class="math">\\({html.escape(tokens[idx].content)}\\)</span>'

    def block(self, tokens, idx, options, env):
        return f'<div class="math">\\[{html.escape(tokens[idx].content)}\\]</div>\n'

    for rule in ("math_inline", "math_inline_double"):
        md.add_render_rule(rule, inline)
    for rule in ("math_block", "math_block_label"):
        md.add_render_rule(rule, block)
    return md


def markdown_html(text: str, *, attachments: Mapping | None = None) -> str:
    """Markdown rendered to HTML, THEN sanitised by :func:`clean_html`."""
    return clean_html(_markdown().render(str(text)), attachments=attachments)


def plain_html(text: str) -> str:
    """Text shown as-is (escaped, in a ``<pre>``): the fallback for pathological markdown."""
    return f'<pre class="plain">{defuse(html.escape(str(text)))}</pre>'


__all__ = ["clean_html", "defuse", "image_data_uri", "markdown_html", "plain_html"]
