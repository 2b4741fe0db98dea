"""One feedback page as HTML: the redacted notebook, scores and notes, in the cohort's language.

Every piece of learner content passes through an allow-list here: markdown is rendered and
then sanitised (:mod:`grader.sanitise`), ``text/html`` outputs are sanitised, images are taken
only from the notebook itself (outputs and cell attachments, as base64), widgets become a short
note, and any other output type falls back to its plain text. Code is escaped by Pygments;
the page template (``templates/feedback.html.j2``) is rendered by Jinja2 with autoescape on.
No path is ever resolved against the grader's file system.

``plain=True`` renders learner markdown and HTML as escaped text: the fallback when the rich
rendering of a pathological notebook runs out of time or memory.
"""

from __future__ import annotations

import html
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from grader.course import repo_root
from grader.sanitise import (
    IMAGE_TYPES,
    clean_html,
    defuse,
    image_data_uri,
    markdown_html,
    plain_html,
)

log = logging.getLogger(__name__)
_TEMPLATES = Path(__file__).parent / "templates"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
_WIDGET = "application/vnd.jupyter.widget-view+json"
_MATH = re.compile(r"\$\$|\$[^$\n]+\$|\\\(|\\\[")
_MAX_TEXT = 200_000

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "lang": "en",
        "title": "{assignment}: feedback for {student}",
        "score_so_far": "Score so far",
        "pending_note": "(written answers still to be graded by your trainer)",
        "points": "{score} / {max} points",
        "waiting": "waiting for your trainer's grade (out of {max})",
        "comment": "Your trainer's comment",
        "overridden": "score set by your trainer (the automatic check gave {auto})",
        "widget": "[interactive widget: open the notebook in Jupyter to use it]",
        "hidden_failed": "A hidden check did not pass: compare your answer with the question "
        "once more.",
        "notes": "Notes from the grader",
        "plain_note": "Parts of this notebook were too large or too complex to format; "
        "they are shown as plain text.",
    },
    "ru": {
        "lang": "ru",
        "title": "{assignment}: отзыв для {student}",
        "score_so_far": "Текущий результат",
        "pending_note": "(письменные ответы ещё проверяет преподаватель)",
        "points": "набрано {score} из {max}",
        "waiting": "ждёт оценки преподавателя (максимум {max})",
        "comment": "Комментарий преподавателя",
        "overridden": "оценку выставил преподаватель (автоматическая проверка дала {auto})",
        "widget": "[интерактивный виджет: откройте блокнот в Jupyter, чтобы им пользоваться]",
        "hidden_failed": "Скрытая проверка не пройдена: сравните ответ с условием задания ещё раз.",
        "notes": "Замечания проверяющей программы",
        "plain_note": "Часть блокнота слишком велика или сложна для оформления и показана "
        "как простой текст.",
    },
}


def labels(language: str | None) -> dict[str, str]:
    """The label table for ``language`` ("en", "ru", "ru_RU.UTF-8" …); English by default."""
    code = (language or "en").strip().lower()[:2]
    return LABELS.get(code, LABELS["en"])


def _text(value: Any) -> str:
    text = "".join(value) if isinstance(value, list) else str(value or "")
    text = _ANSI.sub("", text)
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "\n[…]"


def _pre(text: str, kind: str) -> str:
    return f'<pre class="{kind}">{defuse(html.escape(text))}</pre>'


def _data_html(data: dict, *, plain: bool, words: dict[str, str]) -> str:
    """One rich output (execute_result/display_data) through the allow-list."""
    if _WIDGET in data:
        return f'<p class="note">{html.escape(words["widget"])}</p>'
    for mime in ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"):
        if mime in data and mime in IMAGE_TYPES:
            uri = image_data_uri(mime, data[mime])
            if uri:
                return f'<img class="output" src="{html.escape(uri)}" alt="">'
    if not plain and "text/html" in data:
        return f'<div class="html">{clean_html(_text(data["text/html"]))}</div>'
    if not plain and "text/markdown" in data:
        return f'<div class="markdown">{markdown_html(_text(data["text/markdown"]))}</div>'
    if "text/latex" in data and "text/plain" not in data:
        return _pre(_text(data["text/latex"]), "latex")
    if "text/plain" in data:
        return _pre(_text(data["text/plain"]), "plain")
    return ""


def output_html(output: dict, *, plain: bool, words: dict[str, str]) -> str:
    """HTML of one cell output; unknown output types show nothing."""
    kind = output.get("output_type")
    if kind == "stream":
        return _pre(
            _text(output.get("text")),
            "stream stderr" if output.get("name") == "stderr" else "stream",
        )
    if kind == "error":
        lines = [t for t in output.get("traceback") or [] if isinstance(t, str)]
        text = "\n".join(lines) or f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
        return _pre(_text(text), "error")
    if kind in {"execute_result", "display_data"} and isinstance(output.get("data"), dict):
        return _data_html(output["data"], plain=plain, words=words)
    return ""


@lru_cache(maxsize=1)
def _highlighter():
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return PythonLexer(), HtmlFormatter(nowrap=True), HtmlFormatter().get_style_defs(".code")


def code_html(source: str, *, plain: bool) -> str:
    """Escaped, highlighted code (plain escaped text in the fallback)."""
    if plain or len(source) > _MAX_TEXT:
        return defuse(html.escape(_text(source)))
    from pygments import highlight

    lexer, formatter, _ = _highlighter()
    return defuse(highlight(source, lexer, formatter))


def cell_item(cell: dict, *, plain: bool, words: dict[str, str]) -> dict:
    """What the template needs for one notebook cell."""
    kind = cell.get("cell_type")
    source = _text(cell.get("source"))
    if kind == "markdown":
        attachments = cell.get("attachments") if isinstance(cell.get("attachments"), dict) else {}
        body = plain_html(source) if plain else markdown_html(source, attachments=attachments)
        return {"kind": "markdown", "html": Markup(body)}
    if kind == "code":
        outputs = [output_html(o, plain=plain, words=words) for o in cell.get("outputs") or []]
        return {
            "kind": "code",
            "code": Markup(code_html(source, plain=plain)),
            "outputs": [Markup(o) for o in outputs if o],
        }
    return {"kind": "raw", "html": Markup(plain_html(source))}


def render_page(
    *,
    title: str,
    header: str,
    items: list[dict],
    language: str,
    mathjax: str = "",
) -> str:
    """The whole page (``header`` and each item's ``html`` are already-safe HTML)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(_TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    return env.get_template("feedback.html.j2").render(
        title=title,
        header=Markup(header),
        items=items,
        lang=language,
        code_css=Markup(_highlighter()[2]),
        mathjax=Markup(mathjax),
    )


def _num(value: float, words: dict[str, str]) -> str:
    text = f"{value:g}"
    # Russian writes a decimal comma (2,5 из 3 баллов)
    return text.replace(".", ",") if words.get("lang") == "ru" else text


def score_html(grade_id: str, info: dict, words: dict[str, str]) -> str:
    """The score box shown after a graded cell (trusted text, learner-free except comments)."""
    name = f"<strong>{html.escape(grade_id)}</strong>"
    if info["pending"]:
        text = f"{name}: {html.escape(words['waiting'].format(max=_num(info['max'], words)))}"
    else:
        points = words["points"].format(
            score=_num(info["score"] or 0, words), max=_num(info["max"], words)
        )
        text = f"{name}: {html.escape(points)}"
        if info.get("auto") is not None:
            note = words["overridden"].format(auto=_num(info["auto"], words))
            text += f' <span class="note">({html.escape(note)})</span>'
    body = f"<p>{text}</p>"
    if info.get("comment"):
        label = f"<p><strong>{html.escape(words['comment'])}:</strong></p>"
        body += f'<div class="comment">{label}{markdown_html(str(info["comment"]))}</div>'
    return body


def header_html(title: str, scores: dict, notes: list[str], words: dict[str, str]) -> str:
    """Title, total so far and the grader's notes about this submission."""
    done = [s for s in scores.values() if not s["pending"]]
    total = sum(s["score"] or 0 for s in done)
    maximum = sum(s["max"] for s in scores.values())
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{html.escape(words['score_so_far'])}: <strong>{_num(total, words)} / {_num(maximum, words)}"
        "</strong></p>",
    ]
    if any(s["pending"] for s in scores.values()):
        parts.append(f"<p>{html.escape(words['pending_note'])}</p>")
    if notes:
        items = "".join(f"<li>{html.escape(str(n))}</li>" for n in notes)
        parts.append(
            f'<div class="notes"><p>{html.escape(words["notes"])}</p><ul>{items}</ul></div>'
        )
    return "\n".join(parts)


def mathjax(nb: Any, node_modules: Path | None) -> str:
    """Inline MathJax when the notebook has math; '' otherwise."""
    if not any(c.cell_type == "markdown" and _MATH.search(c.source) for c in nb.cells):
        return ""
    script = (node_modules or repo_root() / "node_modules") / "mathjax" / "es5" / "tex-svg.js"
    if not script.is_file():
        log.warning("%s not found: formulas stay as TeX source (run `npm ci`)", script)
        return ""
    config = (
        # autoload/require would fetch missing TeX extensions from MathJax's default CDN path.
        "window.MathJax={tex:{inlineMath:[['$','$'],['\\\\(','\\\\)']],"
        "packages:{'[-]':['autoload','require']}},"
        "svg:{fontCache:'global'},startup:{typeset:true}};"
    )
    code = script.read_text(encoding="utf-8").replace("</script", "<\\/script")
    return f"<script>{config}</script>\n<script>{code}</script>"
