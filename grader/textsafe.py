"""Text from learners made safe for the trainer's tools: spreadsheets and terminals.

Names, ids and file names come from learners (Moodle display names, zip entries) and are
hostile input. Two places interpret them:

- a spreadsheet opening a CSV export runs a cell that starts with ``=``, ``+``, ``-`` or
  ``@`` (and, in some programs, tab or carriage return) as a formula ("CSV injection");
  :func:`csv_cell` prefixes such a cell with ``'``, which the spreadsheet shows as text;
- a terminal obeys escape sequences (colour, cursor moves, window title, hyperlinks) and
  control characters; :func:`terminal` removes them before anything is printed.
"""

from __future__ import annotations

import re
import unicodedata

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
# ESC-introduced sequences (CSI ... final byte, OSC ... BEL/ST, two-byte escapes) and the
# 8-bit CSI/OSC introducers.
_ESCAPES = re.compile(
    r"(\x1b\[[0-?]*[ -/]*[@-~])"  # CSI
    r"|(\x1b\][^\x07\x1b]*(\x07|\x1b\\)?)"  # OSC, ended by BEL or ST (or cut off)
    r"|(\x1b[PX^_][^\x1b]*(\x1b\\)?)"  # DCS, SOS, PM, APC
    r"|(\x1b[@-Z\\-_ -/]*.?)"  # any other ESC sequence
    r"|(\x9b[0-?]*[ -/]*[@-~])"  # 8-bit CSI
    r"|[\x9d\x90\x98\x9e\x9f]"  # other 8-bit introducers
)


def csv_cell(value: object) -> str:
    """``value`` as a CSV cell no spreadsheet will run as a formula.

    A number such as ``-2`` or ``+1.5`` is left as it is (a spreadsheet reads it as a
    number, not a formula); any other text starting with ``= + - @``, tab or CR gets a
    leading ``'``.
    """
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def terminal(text: object) -> str:
    """``text`` without escape sequences or control characters, safe to print.

    Newlines and tabs become spaces too: one record stays one line.
    """
    cleaned = _ESCAPES.sub("", str(text))
    return "".join(
        " " if ch in "\n\r\t" else ch
        for ch in cleaned
        if ch in "\n\r\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
