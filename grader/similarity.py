"""``similarity``: submissions of one assignment that are unusually alike.

Evidence for a trainer's judgement, never an automatic penalty. Two comparisons:

- **code**: the learner's code cells (the released notebook's given code and template are
  boilerplate) go through ``copydetect``: pygments tokens with every identifier replaced by
  ``V``/``F``/``O`` and every string by ``S``, whitespace and comments dropped, k-grams
  hashed and winnowed (Schleimer, Wilkerson & Aiken 2003). Renamed variables, reformatting,
  new comments and reordered cells do not hide a copy. Not caught: code rewritten by hand
  or by a tool (a loop for a comprehension, another pandas idiom), changed numeric
  literals inside a short run, anything below ``k`` normalised characters.
- **written answers** (manually graded markdown cells): word ``n``-gram shingles after
  case folding (ё = е), punctuation and markdown dropped, so Russian and English work
  alike; the question's own text (every markdown cell of the released notebook) is
  excluded. Not caught: paraphrase, translation, reordered words.

Fingerprints that many submissions share (the necessary shape of a correct solution, a
phrase of the task) are dropped before comparing: above ``common_share`` of the cohort,
and at least ``common_min`` submissions. Scores are the share of the *shorter* side that
the pair shares, so copying plus padding is still found.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from grader.course import Course
from grader.errors import GraderError

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024  # larger files are skipped, with the reason
MAX_TEXT = 200_000  # characters of code or of one answer kept per submission


@dataclass(frozen=True)
class Settings:
    """Thresholds; the defaults are stated in the trainer guide and on the page."""

    code_threshold: float = 0.6  # share of the shorter code's fingerprinted tokens shared
    code_min_tokens: int = 60  # ... and at least this many normalised characters
    text_threshold: float = 0.5  # share of the shorter answer's shingles shared
    text_min_shingles: int = 8  # ... and at least this many shingles
    k: int = 25  # copydetect noise threshold: shortest normalised run that counts
    window: int = 4  # winnowing window (guarantee threshold = k + window - 1)
    shingle: int = 3  # words per shingle
    common_share: float = 0.3
    common_min: int = 4


@dataclass
class Submission:
    label: str
    cohort: str  # "" for the cohort under study, else the earlier course's folder name
    code: str = ""
    answers: dict[str, str] = field(default_factory=dict)


@dataclass
class Pair:
    a: str
    b: str
    kind: str  # "code" or the grade id of a written answer
    score: float
    shared: int
    segments_a: list[tuple[str, bool]]
    segments_b: list[tuple[str, bool]]


@dataclass
class Result:
    assignment: str
    settings: Settings
    submissions: int
    pairs: list[Pair]
    clusters: list[list[str]]
    skipped: list[tuple[str, str]]
    out: Path | None = None
    lang: str = "en"


# --- reading ---------------------------------------------------------------------------------


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return ("".join(src) if isinstance(src, list) else str(src))[:MAX_TEXT]


def _cells(path: Path) -> list[dict]:
    if path.is_symlink() or not path.is_file():
        raise ValueError("notebook missing or a link")
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise ValueError(f"notebook larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB")
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (ValueError, AttributeError, RecursionError) as exc:
        raise ValueError(f"not a readable notebook ({type(exc).__name__})") from None
    if not isinstance(cells, list):
        raise ValueError("not a readable notebook (no cell list)")
    return [c for c in cells if isinstance(c, dict)]


def _meta(cell: dict) -> dict:
    meta = cell.get("metadata", {})
    nbg = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return nbg if isinstance(nbg, dict) else {}


def template(course: Course, assignment: str, notebook: str):
    """Released code cells (boilerplate), written-answer grade id -> its template, prompts."""
    cells = _cells(course.release_dir(assignment) / f"{notebook}.ipynb")
    code = [_source(c) for c in cells if c.get("cell_type") == "code"]
    written = {
        _meta(c)["grade_id"]: _source(c)
        for c in cells
        if c.get("cell_type") == "markdown" and _meta(c).get("grade") and _meta(c).get("grade_id")
    }
    prompts = "\n\n".join(_source(c) for c in cells if c.get("cell_type") == "markdown")
    return code, written, prompts


def read_submission(path: Path, label: str, cohort: str, given: set[str], written) -> Submission:
    """The learner-written code and the written answers of one submitted notebook."""
    cells = _cells(path)
    code = [
        _source(c)
        for c in cells
        if c.get("cell_type") == "code" and _source(c).strip() not in given
    ]
    answers = {}
    for c in cells:
        gid = _meta(c).get("grade_id")
        if c.get("cell_type") == "markdown" and gid in written and gid not in answers:
            answers[gid] = _source(c)
    return Submission(label, cohort, "\n\n".join(code)[:MAX_TEXT], answers)


def collect(course: Course, assignment: str, notebook: str, given, written, cohort=""):
    """Every readable submission of ``course``; unreadable ones as (label, reason)."""
    subs, skipped = [], []
    prefix = f"{cohort}/" if cohort else ""
    for student in course.students(assignment):
        label = prefix + student
        check = getattr(course, "submission_problem", None)
        problem = check(student, assignment) if check else ""
        if problem:
            skipped.append((label, problem))
            continue
        path = course.submitted_dir(student, assignment) / f"{notebook}.ipynb"
        try:
            subs.append(read_submission(path, label, cohort, given, written))
        except (ValueError, OSError) as exc:
            skipped.append((label, str(exc)))
    return subs, skipped


# --- comparing -------------------------------------------------------------------------------


def _segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, matched) runs; overlapping spans merged."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        if out and out[-1][1] and start == pos:
            out[-1] = (out[-1][0] + text[start:end], True)
        else:
            out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def _common(sets: list[set], s: Settings) -> set:
    counts = Counter(h for one in sets for h in one)
    limit = max(s.common_min, s.common_share * len(sets))
    return {h for h, n in counts.items() if n > limit}


def _candidates(sets: list[set], cohorts: list[str]) -> Counter:
    """Pairs (i, j) sharing at least one fingerprint, with the count; earlier cohorts are
    compared with the current one only."""
    index = defaultdict(list)
    for i, one in enumerate(sets):
        for h in one:
            index[h].append(i)
    shared: Counter = Counter()
    for members in index.values():
        for i, j in combinations(members, 2):
            if not cohorts[i] or not cohorts[j]:
                shared[i, j] += 1
    return shared


def _kgram_hashes(string: str, k: int):
    """Stable 64-bit hashes of every k-gram. copydetect uses Python's ``hash``, which is
    salted per process: winnowing would then keep different fingerprints on every run and
    the same pair would score differently. blake2b gives reproducible evidence."""
    import numpy as np

    digest = hashlib.blake2b
    return np.array(
        [
            int.from_bytes(
                digest(string[i : i + k].encode(), digest_size=8).digest(), "big", signed=True
            )
            for i in range(len(string) - k + 1)
        ],
        dtype=np.int64,
    )


def code_pairs(subs: list[Submission], boilerplate: str, s: Settings) -> list[Pair]:
    """Flagged code pairs, by copydetect's winnowed fingerprints."""
    import copydetect.utils
    import numpy as np
    from copydetect import CodeFingerprint, compare_files
    from copydetect.utils import get_token_coverage

    copydetect.utils.hashed_kgrams = _kgram_hashes  # see _kgram_hashes

    def fingerprint(code: str, bp=None):
        return CodeFingerprint("x.py", s.k, s.window, bp, language="python", fp=io.StringIO(code))

    given = np.array(sorted(fingerprint(boilerplate).hashes)) if boilerplate.strip() else None
    prints = [fingerprint(sub.code, given) for sub in subs]
    common = _common([p.hashes for p in prints], s)
    for p in prints:  # drop what much of the cohort shares, as if it were given code
        p.hashes -= common
        p.hash_idx = {h: i for h, i in p.hash_idx.items() if h not in common}
        p.token_coverage = get_token_coverage(p.hash_idx, s.k, len(p.filtered_code))
    pairs = []
    for (i, j), _ in _candidates([p.hashes for p in prints], [x.cohort for x in subs]).items():
        overlap, sims, (sl_a, sl_b) = compare_files(prints[i], prints[j])
        score = float(max(sims))
        if overlap < s.code_min_tokens or score < s.code_threshold:
            continue
        pairs.append(
            Pair(
                subs[i].label,
                subs[j].label,
                "code",
                score,
                int(overlap),
                _segments(subs[i].code, [tuple(map(int, x)) for x in np.asarray(sl_a).T]),
                _segments(subs[j].code, [tuple(map(int, x)) for x in np.asarray(sl_b).T]),
            )
        )
    return pairs


_WORD = re.compile(r"\w+")


def words(text: str) -> list[tuple[str, int, int]]:
    """Normalised words with their spans: case folded, ё as е, punctuation dropped."""
    return [
        (m.group().casefold().replace("ё", "е"), m.start(), m.end())
        for m in _WORD.finditer(text)
        if not m.group().startswith("_")
    ]


def shingles(text: str, n: int) -> dict[tuple[str, ...], list[int]]:
    """Word n-grams -> positions of their first word."""
    tokens = [w for w, _, _ in words(text)]
    out = defaultdict(list)
    for i in range(len(tokens) - n + 1):
        out[tuple(tokens[i : i + n])].append(i)
    return out


def written_pairs(subs: list[Submission], gid: str, excluded: str, s: Settings) -> list[Pair]:
    """Flagged pairs of answers to written task ``gid`` (shingle containment)."""
    prompt = set(shingles(excluded, s.shingle))
    texts = [sub.answers.get(gid, "") for sub in subs]
    grams = [{g: p for g, p in shingles(t, s.shingle).items() if g not in prompt} for t in texts]
    common = _common([set(g) for g in grams], s)
    sets = [set(g) - common for g in grams]
    pairs = []
    for (i, j), shared in _candidates(sets, [x.cohort for x in subs]).items():
        score = shared / min(len(sets[i]), len(sets[j]))
        if shared < s.text_min_shingles or score < s.text_threshold:
            continue
        both = sets[i] & sets[j]
        pairs.append(
            Pair(
                subs[i].label,
                subs[j].label,
                gid,
                score,
                shared,
                _highlight(texts[i], grams[i], both, s.shingle),
                _highlight(texts[j], grams[j], both, s.shingle),
            )
        )
    return pairs


def _highlight(text: str, grams: dict, both: set, n: int) -> list[tuple[str, bool]]:
    spans = words(text)
    marked = []
    for gram in both:
        for first in grams[gram]:
            marked.append((spans[first][1], spans[first + n - 1][2]))
    return _segments(text, marked)


def clusters(pairs: list[Pair]) -> list[list[str]]:
    """Groups of three or more submissions linked by flagged pairs."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for p in pairs:
        parent[root(p.a)] = root(p.b)
    groups = defaultdict(list)
    for x in parent:
        groups[root(x)].append(x)
    return sorted((sorted(g) for g in groups.values() if len(g) > 2), key=lambda g: (-len(g), g))


def main(
    *,
    assignment: str,
    course: Path = Path("course"),
    against: list[Path] | None = None,
    out: Path | None = None,
    lang: str | None = None,
    settings: Settings | None = None,
    **thresholds: float,
) -> Result:
    """Compare the submissions of ``assignment`` (and with earlier cohorts' ``against``).

    Raises:
        GraderError: unknown assignment, missing course folder, bad output path.
    """
    from grader import similarity_page
    from grader.labels import language

    s = settings or Settings(**{k: v for k, v in thresholds.items() if v is not None})
    target = Course.open(course)
    notebook = target.notebook_name(assignment)
    if out is not None and Path(out).is_dir():
        raise GraderError(f"--out {out} is a directory; give a file name")
    try:
        given_code, written, prompts = template(target, assignment, notebook)
    except ValueError as exc:
        raise GraderError(f"released notebook of {assignment}: {exc}") from None
    given = {c.strip() for c in given_code}  # exact copies of given cells are not learner code
    subs, skipped = collect(target, assignment, notebook, given, written)
    for earlier in against or []:
        other = Course.open(earlier)
        folder = Path(earlier).resolve()  # "2024/course" rather than a bare "course"
        name = folder.name if folder.name != "course" else f"{folder.parent.name}/course"
        more, more_skipped = collect(other, assignment, notebook, given, written, cohort=name)
        subs += more
        skipped += more_skipped
    pairs = code_pairs(subs, "\n\n".join(given_code), s)
    for gid, answer_template in sorted(written.items()):
        pairs += written_pairs(subs, gid, prompts + "\n\n" + answer_template, s)
    pairs.sort(key=lambda p: (-p.score, p.kind, p.a, p.b))
    result = Result(assignment, s, len(subs), pairs, clusters(pairs), skipped)
    result.lang = language(target.root, lang)
    if out is not None:
        similarity_page.write(result, Path(out), result.lang)
        result.out = Path(out)
    return result
