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
phrase of the task) are dropped before comparing: those in more than ``common_share`` of
the cohort and in more than ``common_min`` submissions. Scores are the share of the *shorter* side that
the pair shares, so copying plus padding is still found.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from grader.course import Course
from grader.errors import GraderError
from grader.similarity_read import Submission, collect, template


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
