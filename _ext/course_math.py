"""Sphinx extension: formulas rendered to MathML at build time, so pages need no MathJax.

MathJax would add about 1.2 MB of script to every page with a formula; browsers draw MathML
natively (Chromium since version 109, Firefox and Safari for longer), and screen readers read it.
Enabled by ``html_math_renderer: mathml`` in ``_config.yml``.
"""

from __future__ import annotations

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError


def _mathml(latex: str, display: str, source: str) -> str:
    try:
        return convert(latex.strip(), display=display)
    except Exception as error:  # latex2mathml raises many types; report the formula, fail the build
        raise ExtensionError(f"cannot render formula {latex!r} in {source}: {error}") from error


def _visit_inline(self, node: nodes.math) -> None:
    self.body.append(
        f'<span class="math notranslate nohighlight">'
        f"{_mathml(node.astext(), 'inline', str(node.source))}"
        "</span>"
    )
    raise nodes.SkipNode


def _visit_block(self, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    # A display block may hold several equations separated by blank lines.
    for part in (p for p in node.astext().split("\n\n") if p.strip()):
        self.body.append(_mathml(part, "block", str(node.source)))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict:
    app.add_html_math_renderer("mathml", (_visit_inline, None), (_visit_block, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
