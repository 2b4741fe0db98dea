"""Words of the trainer pages (``report``, ``similarity``) in the cohort's language.

The language is, in order: the verb's ``--lang``, the ``COURSE_LANG`` environment variable,
``c.Course.lang`` in the course's ``nbgrader_config.py`` (below the trainer-settings
marker, so a new release keeps it), else English. Only ``en`` and ``ru`` exist; a key
missing from one language falls back to English, never to a blank.
"""

from __future__ import annotations

import os
from pathlib import Path

from grader.errors import GraderError

LANGUAGES = ("en", "ru")

# key -> (English, Russian)
_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Cohort report: {assignment}", "Отчёт по группе: {assignment}"),
    "empty": (
        "No graded submissions yet: run `python -m grader autograde {assignment}` first.",
        "Проверенных работ пока нет: сначала запустите `python -m grader autograde {assignment}`.",
    ),
    "measure": ("measure", "показатель"),
    "value": ("value", "значение"),
    "graded submissions": ("graded submissions", "проверенных работ"),
    "maximum score": ("maximum score", "максимальный балл"),
    "mean score": ("mean score", "средний балл"),
    "median score": ("median score", "медианный балл"),
    "awaiting manual grading": ("awaiting manual grading", "ждут ручной проверки"),
    "failed to grade": ("failed to grade", "не удалось проверить"),
    "crashed": ("crashed (kernel stopped)", "аварийно остановлены (ядро)"),
    "with time-outs": ("with time-outs", "с превышением времени"),
    "files not collected": ("files not collected", "файлов не собрано"),
    "yes": ("yes", "да"),
    "no": ("no", "нет"),
    "none": ("None.", "Нет."),
    "code": ("code", "код"),
    "written": ("written", "письменный"),
    "item": ("item", "задание"),
    "kind": ("kind", "вид"),
    "points": ("points", "баллы"),
    "graded": ("graded", "проверено"),
    "full share": ("full marks (share)", "полный балл (доля)"),
    "mean points": ("mean points", "средний балл"),
    "awaiting grade": ("awaiting grade", "ждёт оценки"),
    "student": ("student", "учащийся"),
    "student or file": ("student / file", "учащийся / файл"),
    "problem": ("problem", "проблема"),
    "reason": ("reason", "причина"),
    "score": ("score", "балл"),
    "failed": ("failed", "не проверено"),
    "not graded": ("not graded", "не оценено"),
    "time-out": ("time-out", "превышено время"),
    "not collected": ("not collected", "не собрано"),
    "h items": ("Graded items", "Оцениваемые задания"),
    "h problems": (
        "Failures, crashes, time-outs and files not collected",
        "Сбои, аварийные остановки, превышения времени и несобранные файлы",
    ),
    "h scores": ("Scores", "Баллы"),
    "h analysis": ("Item analysis", "Анализ заданий"),
    "charts missing": (
        "Charts need vega, vega-lite and vega-embed in node_modules/ (run `npm ci` in the "
        "repository); the tables hold the same numbers.",
        "Для диаграмм нужны vega, vega-lite и vega-embed в node_modules/ (выполните `npm ci` "
        "в репозитории); в таблицах те же числа.",
    ),
    "chart scores": ("Score distribution", "Распределение баллов"),
    "axis score": ("score (points out of {max:g})", "балл (из {max:g})"),
    "axis submissions": ("submissions", "работ"),
    "chart items": ("Full marks per graded item", "Полный балл по заданиям"),
    "axis full share": ("share of submissions with full points", "доля работ с полным баллом"),
    "chart analysis": ("Facility and discrimination", "Лёгкость и различающая способность"),
    "facility": ("facility", "лёгкость"),
    "share zero": ("at 0", "доля с 0"),
    "share full": ("at full", "доля с полным"),
    "r corrected": ("item–rest r", "r с остальными"),
    "d index": ("upper–lower D", "индекс D (27 %)"),
    "if deleted": ("reliability if deleted", "надёжность без задания"),
    "flags": ("flags", "отметки"),
    "common failure": ("most common failure", "самая частая ошибка"),
    "too_easy": ("too easy", "слишком лёгкое"),
    "too_hard": ("too hard", "слишком трудное"),
    "weak_discrimination": ("weak discrimination", "слабо различает"),
    "negative_discrimination": ("negative discrimination", "различает наоборот"),
    "one_reason": ("mostly failed for one reason", "в основном одна и та же ошибка"),
    "reliability": (
        "{method} = {value} over {k} items; standard error of measurement {sem} points.",
        "{method} = {value} по {k} заданиям; стандартная ошибка измерения {sem} балла.",
    ),
    "no reliability": (
        "Reliability is undefined (fewer than two items, or every total equal).",
        "Надёжность не определена (меньше двух заданий или все суммы равны).",
    ),
    "unstable": (
        "Only {n} submissions: with fewer than {limit} these statistics are unstable; read "
        "them as hints, not findings.",
        "Всего {n} работ: при меньше чем {limit} эти показатели неустойчивы; это подсказки, "
        "а не выводы.",
    ),
    "left out": ("Not analysed: {item} ({why}).", "Не анализируется: {item} ({why})."),
    "definitions": (
        "Facility: mean score over the points. Item–rest r: correlation of the item with "
        "the total of the other items (point-biserial for all-or-nothing items). "
        "Upper–lower D: mean item score of the top 27 % by total minus the bottom 27 %, over "
        "the points. Reliability: Cronbach's alpha (KR-20 when every item is all-or-nothing). "
        "Flags: too easy when facility > {too_easy_facility_above}, too hard when facility < "
        "{too_hard_facility_below}, weak discrimination when item–rest r < "
        "{weak_discrimination_below} (negative below 0), mostly failed for one reason when "
        "one logged failure message covers more than {one_reason_share_above:.0%} of the "
        "submissions below full points (at least {one_reason_min_submissions}).",
        "Лёгкость: средний балл, делённый на максимум. r с остальными: корреляция задания с "
        "суммой остальных заданий (точечно-бисериальная для заданий «всё или ничего»). "
        "Индекс D: средний балл за задание у лучших 27 % по сумме минус у худших 27 %, "
        "делённый на максимум. Надёжность: альфа Кронбаха (KR-20, если все задания «всё или "
        "ничего»). Отметки: слишком лёгкое при лёгкости > {too_easy_facility_above}, слишком "
        "трудное при < {too_hard_facility_below}, слабо различает при r < "
        "{weak_discrimination_below} (наоборот — ниже 0), одна и та же ошибка — когда одно "
        "сообщение из журнала проверки у более чем {one_reason_share_above:.0%} работ без "
        "полного балла (не меньше {one_reason_min_submissions}).",
    ),
    "sim title": ("Similar submissions: {assignment}", "Похожие работы: {assignment}"),
    "sim evidence": (
        "These pairs are evidence for the trainer's judgement, never an automatic penalty: "
        "similar work can be honest (a shared study group, the one natural solution, a "
        "quoted source). Read each pair side by side before deciding anything.",
        "Эти пары — материал для решения преподавателя, а не автоматическое наказание: "
        "сходство бывает честным (совместная подготовка, единственное естественное решение, "
        "цитата из источника). Прежде чем что-то решать, прочитайте каждую пару.",
    ),
    "sim compared": (
        "{n} submissions compared; {pairs} pairs flagged.",
        "Сравнено работ: {n}; отмечено пар: {pairs}.",
    ),
    "sim none": ("No pair reaches the thresholds.", "Ни одна пара не достигает порогов."),
    "sim settings": (
        "Thresholds: code flagged when at least {code_threshold:.0%} of the shorter "
        "submission's normalised code is in shared fingerprints (k = {k} characters, at "
        "least {code_min_tokens}); written answers flagged when at least "
        "{text_threshold:.0%} of the shorter answer's {shingle}-word phrases are shared (at "
        "least {text_min_shingles}). Fingerprints or phrases found in more than "
        "{common_share:.0%} of the submissions (and more than {common_min}) are ignored as "
        "common ground, like the released template and the task's own text.",
        "Пороги: код отмечается, если не меньше {code_threshold:.0%} нормализованного кода "
        "более короткой работы входит в общие отпечатки (k = {k} символов, не меньше "
        "{code_min_tokens}); письменные ответы — если общих фраз из {shingle} слов не меньше "
        "{text_threshold:.0%} у более короткого ответа (не меньше {text_min_shingles}). "
        "Отпечатки и фразы, встречающиеся больше чем в {common_share:.0%} работ (и больше "
        "чем в {common_min}), считаются общим местом, как и шаблон задания и его текст.",
    ),
    "sim code reason": (
        "{score:.0%} of the shorter code is in shared fingerprints ({shared} normalised "
        "characters)",
        "{score:.0%} более короткого кода входит в общие отпечатки ({shared} "
        "нормализованных символов)",
    ),
    "sim text reason": (
        "{score:.0%} of the shorter answer's phrases are shared ({shared} phrases)",
        "{score:.0%} фраз более короткого ответа совпадают ({shared} фраз)",
    ),
    "sim clusters": ("Groups linked by flagged pairs", "Группы, связанные отмеченными парами"),
    "sim skipped": ("Not compared", "Не сравнивались"),
    "sim pair": ("pair", "пара"),
    "sim what": ("compared", "что сравнивалось"),
    "sim score": ("score", "оценка сходства"),
    "sim why": ("why flagged", "почему отмечено"),
    "sim code": ("code", "код"),
    "sim written": ("written answer {item}", "письменный ответ {item}"),
    "sim highlight": (
        "Highlighted: the regions the pair shares.",
        "Выделено: совпадающие фрагменты.",
    ),
}


class Labels:
    """``labels("key", **fields)``: the text in the chosen language."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self._index = LANGUAGES.index(lang)

    def __call__(self, key: str, **fields: object) -> str:
        pair = _LABELS.get(key)
        if pair is None:
            return key
        text = pair[self._index] or pair[0]
        return text.format(**fields) if fields else text


def language(course_root: Path | None = None, lang: str | None = None) -> str:
    """The language of the trainer pages (see the module docstring).

    Raises:
        GraderError: a language other than ``en`` or ``ru`` was asked for.
    """
    choice = lang or os.environ.get("COURSE_LANG")
    if not choice and course_root is not None:
        from grader.course import _configured

        choice = _configured(Path(course_root), "Course", "lang")
    choice = (choice or "en").strip().lower()[:2]
    if choice not in LANGUAGES:
        raise GraderError(f"language {choice!r}: use one of {', '.join(LANGUAGES)}")
    return choice
