"""The Russian edition's building blocks, without a build: chart strings, number forms, drift."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from coursebook.i18n import (
    chart_messages,
    format_number,
    localise_glued,
    localise_lines,
    localise_table,
    output_message,
    table_texts,
    translate_spec,
)
from coursebook.translations import drift, pending

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
    "title": {"text": "Shares by group", "subtitle": "Several answers allowed"},
    "description": "Bars of the share for NGOs and officials.",
    "data": {"name": "data-1"},
    "datasets": {
        "data-1": [
            {"side": "NGOs", "code": "ngo", "share_pct": 12.5},
            {"side": "Officials", "code": "lsg", "share_pct": 40.25},
        ]
    },
    "mark": {"type": "bar"},
    "encoding": {
        "y": {
            "field": "side",
            "type": "nominal",
            "title": "Respondents",
            "sort": ["NGOs", "Officials"],
        },
        "x": {"field": "share_pct", "type": "quantitative", "title": "Share, %"},
        "color": {"field": "side", "type": "nominal", "title": "Group"},
        "tooltip": [
            {"field": "share_pct", "type": "quantitative", "title": "Share, %", "format": ".1f"}
        ],
    },
    "params": [
        {
            "name": "pick",
            "value": "NGOs",
            "bind": {"input": "select", "options": ["NGOs", "Officials"], "name": "Group: "},
        }
    ],
    "transform": [{"filter": "datum.side !== 'Nobody' && datum.side === pick"}],
}
RU = {
    "Shares by group": "Доли по группам",
    "Several answers allowed": "Можно было выбрать несколько ответов",
    "Bars of the share for NGOs and officials.": "Столбцы: доля СО НКО и ОМСУ.",
    "NGOs": "СО НКО",
    "Officials": "ОМСУ",
    "Respondents": "Респонденты",
    "Share, %": "Доля, %",
    "Group": "Группа",
    "Group: ": "Группа: ",
}


def test_chart_messages_are_the_visible_strings_only():
    found = chart_messages(SPEC)
    assert set(found) == set(RU)  # "Nobody" appears only inside an expression
    # Codes of fields the chart does not show, field names and types are not messages.
    for structural in (
        "ngo",
        "lsg",
        "side",
        "share_pct",
        "nominal",
        "bar",
        "data-1",
        "pick",
        ".1f",
    ):
        assert structural not in found


def test_translated_spec_keeps_structure_and_matches_its_own_values():
    ru = translate_spec(SPEC, RU.get)
    assert ru["title"] == {
        "text": "Доли по группам",
        "subtitle": "Можно было выбрать несколько ответов",
    }
    assert [row["side"] for row in ru["datasets"]["data-1"]] == ["СО НКО", "ОМСУ"]
    assert [row["code"] for row in ru["datasets"]["data-1"]] == ["ngo", "lsg"]
    assert [row["share_pct"] for row in ru["datasets"]["data-1"]] == [12.5, 40.25]
    assert ru["encoding"]["y"]["sort"] == ["СО НКО", "ОМСУ"]
    assert ru["encoding"]["y"]["field"] == "side" and ru["data"] == {"name": "data-1"}
    assert ru["encoding"]["color"]["title"] == "Группа"
    assert ru["encoding"]["tooltip"][0]["format"] == ".1f"
    assert ru["params"][0]["name"] == "pick" and ru["params"][0]["value"] == "СО НКО"
    assert ru["params"][0]["bind"] == {
        "input": "select",
        "options": ["СО НКО", "ОМСУ"],
        "name": "Группа: ",
    }
    # Literals inside expressions follow the data, so the filter still selects the same rows.
    assert ru["transform"][0]["filter"] == "datum.side !== 'Nobody' && datum.side === pick"
    with_known = translate_spec({"transform": [{"filter": "datum.side === 'NGOs'"}]}, RU.get)
    assert with_known["transform"][0]["filter"] == "datum.side === 'СО НКО'"


def test_numbers_in_russian_form():
    cases = {
        "12.5": "12,5",
        "0.25": "0,25",
        "242": "242",
        "2020": "2020",
        "1,234": "1234",
        "35,000": "35\u00a0000",
        "1,234,567.89": "1\u00a0234\u00a0567,89",
        "-3.2": "\u22123,2",
        "+1.5": "+1,5",
        "1.5e-05": "1,5e-05",
        "n/a": "n/a",
        "v1.2.3": "v1.2.3",
    }
    assert {text: format_number(text, "ru") for text in cases} == cases
    assert format_number("12.5", "en") == "12.5"


def test_glued_text_is_a_message_of_the_page_and_numbers_are_reformatted():
    page = {"Yaroslavl Oblast": "Ярославская область", "12.5": "не число"}.get
    assert localise_glued("Yaroslavl Oblast", "ru", page) == "Ярославская область"
    assert localise_glued("Tuva Republic", "ru", page) == "Tuva Republic"  # untranslated: English
    assert localise_glued("12.5", "ru", page) == "12,5"  # a number is never looked up
    assert localise_glued("35,000", "ru", page) == "35\u00a0000"
    assert localise_glued("Yaroslavl Oblast", "en", page) == "Yaroslavl Oblast"


def test_explicit_scale_domain_and_sort_list_are_messages_and_stay_matched():
    spec = {
        "data": {"values": [{"rule": "Needs-based", "n": 3}, {"rule": "Categorical", "n": 5}]},
        "mark": "bar",
        "encoding": {
            "color": {
                "field": "rule",
                "type": "nominal",
                "title": "Rule",
                "scale": {"domain": ["Needs-based", "Categorical", "Both"], "range": ["#000"]},
                "sort": ["Both", "Needs-based"],
            },
            "x": {"field": "n", "type": "quantitative", "scale": {"domain": [0, 10]}},
            "y": {"field": "when", "type": "temporal", "scale": {"domain": ["2015-01-01"]}},
            "opacity": {"field": "rule", "type": "nominal", "scale": {"domain": {"param": "p"}}},
        },
    }
    found = chart_messages(spec)
    assert found == ["Rule", "Needs-based", "Categorical", "Both"]  # not "2015-01-01", 0, 10
    ru = translate_spec(
        spec, {"Needs-based": "По нуждаемости", "Categorical": "Категориальное", "Both": "Оба"}.get
    )
    color = ru["encoding"]["color"]
    assert color["scale"] == {
        "domain": ["По нуждаемости", "Категориальное", "Оба"],
        "range": ["#000"],
    }
    assert color["sort"] == ["Оба", "По нуждаемости"]
    assert [row["rule"] for row in ru["data"]["values"]] == ["По нуждаемости", "Категориальное"]
    assert ru["encoding"]["x"]["scale"] == {"domain": [0, 10]}


def _catalogue(path, messages, *, fuzzy=()):
    catalog = Catalog(locale="ru")
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def test_drift_names_each_missing_fuzzy_outdated_and_glue_message(tmp_path):
    pot, po = tmp_path / "gettext", tmp_path / "locales"
    english = {
        "Title": "",
        "A share of {glue:text}`x:.1f` %.": "",
        "New sentence.": "",
        "Changed sentence, now longer.": "",
        "Kept.": "",
    }
    _catalogue(pot / "book" / "page.pot", english)
    _catalogue(
        po / "book" / "page.po",
        {
            "Title": "Заголовок",
            "A share of {glue:text}`x:.1f` %.": "Доля 12,5 %.",  # the glued figure was typed in
            "Changed sentence.": "Изменённое предложение.",  # its English changed since
            "Changed sentence, now longer.": "Черновик.",
            "Kept.": "Сохранено.",
        },
        fuzzy={"Changed sentence, now longer."},
    )
    report = drift(pot, po)["book/page"]
    assert (report.total, report.translated) == (5, 3)
    assert report.missing == ["New sentence."]
    assert report.fuzzy == ["Changed sentence, now longer."]
    assert report.outdated == ["Changed sentence."]
    assert report.glue == ["A share of {glue:text}`x:.1f` %."]
    assert not report.clean
    assert report.lines()[0] == "book/page: 3/5 translated"


def test_pending_list_ignores_comments(tmp_path):
    listed = tmp_path / "PENDING.txt"
    listed.write_text("# header\nbook/a\n\nbook/b  # half done\n", encoding="utf-8")
    assert pending(listed) == ["book/a", "book/b"]
    assert pending(tmp_path / "missing.txt") == []


def test_drift_flags_a_translation_that_drops_an_output_number(tmp_path):
    pot, po = tmp_path / "gettext", tmp_path / "locales"
    english = {"Reached: between {0} % and {1} %": "", "none ≤ {0}": ""}
    _catalogue(pot / "book" / "page.pot", english)
    _catalogue(
        po / "book" / "page.po",
        {
            "Reached: between {0} % and {1} %": "Охват: от {0} % до 65,7 %",
            "none ≤ {0}": "нет до {0}",
        },
    )
    report = drift(pot, po)["book/page"]
    assert report.glue == ["Reached: between {0} % and {1} %"]


def test_printed_line_is_a_message_with_its_numbers_as_holes():
    line = "NGOs reached by at least one channel: between 30.7 % and 65.7 %"
    assert output_message(line) == (
        "NGOs reached by at least one channel: between {0} % and {1} %",
        ["30.7", "65.7"],
    )
    # Codes, bare numbers and blank lines are not messages; a code inside a sentence is kept.
    assert output_message("s1_interaction") is None
    assert output_message("12,345.5") is None
    assert output_message("   ") is None
    assert output_message("t1_problems has 13 rows") == ("t1_problems has {0} rows", ["13"])
    # Braces of a printed dict cannot be taken for holes.
    assert output_message("{'ngo': 149}") == ("{{'ngo': {0}}}", ["149"])


def test_printed_lines_and_table_cells_in_russian_form():
    table = {
        "NGOs reached: between {0} % and {1} %": "Охват НКО: от {0} % до {1} %",
        "group": "группа",
        "none ≤ {0}": "нет до {0}",
    }
    printed = "NGOs reached: between 30.7 % and 65.7 %\nUntranslated 2.5\n"
    assert localise_lines(printed, "ru", table.get) == (
        "Охват НКО: от 30,7\u00a0% до 65,7\u00a0%\nUntranslated 2.5\n"
    )
    assert localise_lines(printed, "en", table.get) == printed
    markup = (
        '<table class="dataframe"><tr><th>group</th><th>size</th></tr>'
        "<tr><td>none ≤ 242</td><td>12,345.5</td><td>s1_x</td><td>a &amp; b</td></tr></table>"
    )
    assert table_texts(markup) == ["group", "size", "none ≤ 242", "12,345.5", "s1_x", "a & b"]
    assert localise_table(markup, "ru", table.get) == (
        '<table class="dataframe"><tr><th>группа</th><th>size</th></tr>'
        "<tr><td>нет до 242</td><td>12\u00a0345,5</td><td>s1_x</td><td>a &amp; b</td></tr></table>"
    )
    # A translation that lost a hole cannot break the page: the English line stays.
    assert localise_lines("none ≤ 5", "ru", {"none ≤ {0}": "нет до {1}"}.get) == "none ≤ 5"


INDEX = "Book\n====\n\n.. toctree::\n\n   a\n   b\n"
PAGE = (
    "{title}\n{rule}\n\n{extra}.. table:: Shares {title}\n   :name: tab-{name}\n\n"
    "   ===  ===\n   x    y\n   ===  ===\n\n"
    ".. code-block:: python\n   :caption: Code {title}\n   :name: code-{name}\n\n   x = 1\n"
)


def _write_page(src, name, extra=""):
    text = PAGE.format(title=name.upper(), rule="=" * len(name), name=name, extra=extra)
    (src / f"{name}.rst").write_text(text, encoding="utf-8")


def test_figure_numbers_from_page_skeletons_are_sphinxs_own(tmp_path, monkeypatch):
    # course_incremental numbers tables/figures across the book from small per-page skeletons
    # instead of every page's doctree: after an edit that renumbers the next page, the numbers
    # must be exactly what Sphinx computes from the full doctrees.
    import sys

    from sphinx.application import Sphinx
    from sphinx.environment.collectors.toctree import TocTreeCollector
    from sphinxcontrib.bibtex.domain import BibtexDomain

    # The extension patches these classes: put them back after the test.
    for cls, name in (
        (TocTreeCollector, "assign_figure_numbers"),
        (BibtexDomain, "get_formatted_entries"),
    ):
        monkeypatch.setattr(cls, name, getattr(cls, name))
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "_ext"))
    sys.modules.pop("course_incremental", None)
    import course_incremental

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["course_incremental"]\nnumfig = True\n')
    (src / "index.rst").write_text(INDEX)
    _write_page(src, "a")
    _write_page(src, "b")

    def build():
        app = Sphinx(src, src, tmp_path / "out", tmp_path / "doctrees", "html", status=None)
        app.build()
        return app

    build()
    extra = ".. table:: Inserted\n   :name: tab-new\n\n   ===  ===\n   z    w\n   ===  ===\n\n"
    _write_page(src, "a", extra)  # a gains a table: b's table becomes table 3
    app = build()
    env = app.env
    fast = env.toc_fignumbers
    assert fast["b"]["table"] == {"tab-b": (3,)}
    assert fast["a"]["table"] == {"tab-new": (1,), "tab-a": (2,)}
    assert fast["b"]["code-block"] == {"code-b": (2,)}
    env.toc_fignumbers = {}
    course_incremental._sphinx_assign_figure_numbers(TocTreeCollector(), env)
    assert env.toc_fignumbers == fast
    assert "b" in set(getattr(env, course_incremental.SKELETONS))
