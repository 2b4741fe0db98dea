"""Every sentence the course ships is our own (issue 13 §1).

Reads every learner- and reader-facing text (book pages, the markdown, string literals and comments
of the exercise notebooks, the trainers' rubrics, and any Russian edition: ``locales/**/*.po`` msgstr
and ``exercises/*/i18n/*``) and fails on any run of 7 or more consecutive words that it shares with a
document in ``../shared/seeds/``. The comparison ignores case, punctuation and the ё/е difference, so
a copied sentence is found even if it is re-punctuated. Titles and author names of the sources may be
quoted, because a citation has to name them.

The seeds sit outside the repository (the sibling folder ``shared/seeds``, or ``$COURSE_SEEDS_DIR``); a CI machine that has
only the repository skips this test with the reason.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# The sibling folder of this checkout, or COURSE_SEEDS_DIR (a clone elsewhere, e.g. in CI).
SEEDS = Path(os.environ.get("COURSE_SEEDS_DIR") or REPO.parent / "shared" / "seeds")
N = 7

# Titles, authors and institutions of the sources: quoting them is citing, not copying.
ALLOWED = [
    # seeds 000/001 (HSE article), English and Russian titles and authors
    "Values and Experience of Neoliberal Reforms in Russian Regions: Dilemmas of Social Management",
    "Ценностные ориентиры и опыт неолиберальных реформ в российских регионах: "
    "дилеммы социального менеджмента",
    "Nikita V. Bolshakov, Daria I. Prisyazhniuk, Elena R. Iarskaia-Smirnova",
    "National Research University Higher School of Economics (HSE University)",
    # seed 002 (project page)
    "Эффективная социальная политика",
    # seed 003 (Volgograd report) and its authors
    "Межсекторное взаимодействие на муниципальном уровне в Волгоградской области: "
    "механизмы результативного социального диалога",
    "аналитическая справка",
    "Социологическая группа Волгоградского института гражданского общества",
    # seed 004 (reflexive governance) and its grant
    "Reflexive Governance in the Context of Digitalization: Concept and Practical Implementation",
    "Russian Science Foundation grant No 19-18-00210",
    "Political ontology of digitalization: Study of institutional bases for digital forms of "
    "governability",
]

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Lower-cased words without punctuation; ё is read as е."""
    return _WORD.findall(text.lower().replace("ё", "е"))


ALLOWED_WORDS = [words(phrase) for phrase in ALLOWED]


def ngrams(tokens: list[str]) -> Iterator[tuple[str, ...]]:
    return (tuple(tokens[i : i + N]) for i in range(len(tokens) - N + 1))


def seed_index() -> dict[tuple[str, ...], str]:
    """Every 7-word run of every seed, mapped to the seed's file name, minus the allowed citations."""
    allowed = {gram for phrase in ALLOWED for gram in ngrams(words(phrase))}
    index: dict[tuple[str, ...], str] = {}
    for seed in sorted(SEEDS.glob("*.txt")):
        for gram in ngrams(words(seed.read_text(encoding="utf-8"))):
            if gram not in allowed:
                index.setdefault(gram, seed.name)
    return index


# ---- what the course ships: (file, line, text) pieces -------------------------------------------


def _code_strings(source: str) -> Iterator[tuple[int, str]]:
    """String literals and comments of one code cell (magics and shell lines are skipped)."""
    # IPython magics are not Python; blank them so ast and tokenize still read the cell.
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    code = "\n".join(lines)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        # Still check the text if a cell is not valid Python: read it as prose.
        yield 1, code
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type == tokenize.COMMENT:
                yield tok.start[0], tok.string
    except (tokenize.TokenError, SyntaxError):
        pass


def _notebook(path: Path) -> Iterator[tuple[str, str]]:
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    for number, cell in enumerate(cells, 1):
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "code":
            for line, text in _code_strings(source):
                yield f"cell {number} line {line}", text
        else:
            yield f"cell {number}", source


_MSGSTR = re.compile(r'^msgstr(?:\[\d+\])?\s+"(.*)"\s*$|^"(.*)"\s*$')


def _po_msgstr(path: Path) -> Iterator[tuple[str, str]]:
    """The translations of a gettext catalogue (msgid is the English text, checked elsewhere)."""
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = _MSGSTR.match(line)
        if match and match.group(1) is not None:
            if current is not None:
                yield f"line {start}", " ".join(current)
            current, start = [match.group(1)], number
        elif match and current is not None:
            current.append(match.group(2))
        else:
            if current is not None:
                yield f"line {start}", " ".join(current)
            current = None
    if current is not None:
        yield f"line {start}", " ".join(current)


def _json_strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def shipped_texts() -> Iterator[tuple[Path, str, str]]:
    """(file, place, text) for every reader-facing text of the course, Russian edition included."""
    files = sorted(
        {
            *REPO.glob("book/**/*.md"),
            *REPO.glob("book/**/*.ipynb"),
            *REPO.glob("exercises/*/*.ipynb"),
            *REPO.glob("exercises/*/*.md"),
            *REPO.glob("exercises/*/i18n/**/*"),
            *REPO.glob("locales/**/*.po"),
            REPO / "_toc.yml",
        }
    )
    for path in files:
        if not path.is_file() or ".ipynb_checkpoints" in path.parts:
            continue
        if path.suffix == ".ipynb":
            pieces = _notebook(path)
        elif path.suffix == ".po":
            pieces = _po_msgstr(path)
        elif path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            pieces = (("json", text) for text in _json_strings(data))
        else:
            pieces = _whole(path)
        for place, text in pieces:
            yield path, place, text


def _whole(path: Path) -> Iterator[tuple[str, str]]:
    """A text file as one piece (so a sentence broken over lines is still one run), with line hint."""
    text = path.read_text(encoding="utf-8")
    yield "", text


def shared_runs(index: dict, place: str, text: str) -> Iterator[tuple[str, str, str]]:
    """Maximal runs of words shared with a seed: (where, the first shared 7-gram + run length, seed)."""
    # Keep each word's offset so a hit in a long file can name its line.
    found = [(m.group(0).lower().replace("ё", "е"), m.start()) for m in _WORD.finditer(text)]
    tokens: list[str | None] = [word for word, _ in found]
    # A quoted title or author name is a citation: blank it, so a run cannot pass through it.
    for phrase in ALLOWED_WORDS:
        for start in range(len(tokens) - len(phrase) + 1):
            if tokens[start : start + len(phrase)] == phrase:
                tokens[start : start + len(phrase)] = [None] * len(phrase)
    i = 0
    while i <= len(tokens) - N:
        seed = index.get(tuple(tokens[i : i + N]))
        if seed is None:
            i += 1
            continue
        end = i + N
        while end < len(tokens) and index.get(tuple(tokens[end - N + 1 : end + 1])):
            end += 1
        where = place or f"line {text.count(chr(10), 0, found[i][1]) + 1}"
        gram = " ".join(str(word) for word in tokens[i : i + N])
        yield where, f'"{gram}" ({end - i} words shared)', seed
        i = end


def find_hits() -> list[str]:
    index = seed_index()
    hits = []
    for path, place, text in shipped_texts():
        for where, gram, seed in shared_runs(index, place, text):
            hits.append(f"{path.relative_to(REPO)} {where}: {gram} — seed {seed}")
    return hits


def test_words_matches_case_punctuation_and_yo():
    assert words("Ещё, «Всё» — ОК!") == ["еще", "все", "ок"]


def test_a_copied_sentence_is_found_and_a_citation_is_not():
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS} (only the authors' machine has them)")
    index = seed_index()
    copied = "the discourses of Budget-Saving and humanization of services do not always contradict"
    assert list(shared_runs(index, "", copied)), "a sentence from seed 001 was not found"
    title = "Values and Experience of Neoliberal Reforms in Russian Regions: Dilemmas of Social Management"
    assert not list(shared_runs(index, "", f"see {title} (2021)"))
    ours = "Managers say that saving money and a humane service can sometimes go together."
    assert not list(shared_runs(index, "", ours))


def test_no_seven_words_in_a_row_from_a_seed():
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS} (only the authors' machine has them)")
    hits = find_hits()
    assert not hits, (
        f"{len(hits)} passage(s) share 7+ consecutive words with a seed document; say it in our own "
        "words and cite the source:\n" + "\n".join(hits)
    )


if __name__ == "__main__":  # `python tests/book/test_originality.py` lists every hit
    for hit in find_hits():
        print(hit)


def test_russian_catalogues_are_read_from_msgstr(tmp_path):
    catalogue = tmp_path / "book.po"
    catalogue.write_text(
        'msgid "Hello"\nmsgstr ""\n"Первая строка "\n"вторая строка"\n\nmsgid "x"\nmsgstr "Ещё"\n',
        encoding="utf-8",
    )
    assert list(_po_msgstr(catalogue)) == [
        ("line 2", " Первая строка  вторая строка"),
        ("line 7", "Ещё"),
    ]
