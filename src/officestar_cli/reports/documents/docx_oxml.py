"""The one place officestar reaches past python-docx's public API, and why.

python-docx has no public call for three things a Thai official document needs:
the complex-script bold and size (``w:bCs``, ``w:szCs``: Word sizes Thai by
those, not by ``w:b``/``w:sz``), removing a table cell's empty first paragraph,
and appending a raw drawing (the ร่าง watermark) to a header paragraph. They all
need the element behind a run or a paragraph (``Run._r``, ``Paragraph._p``).
python-docx is pinned to one minor version in pyproject.toml for this, and
tests/test_docx_oxml.py fails when either attribute changes.
"""

from __future__ import annotations

from typing import Any

PINNED = "1.2"  # python-docx minor version these hooks were checked against (pyproject.toml)


def run_element(run: Any) -> Any:
    """The ``w:r`` element of a python-docx ``Run``."""
    return run._r


def paragraph_element(paragraph: Any) -> Any:
    """The ``w:p`` element of a python-docx ``Paragraph``."""
    return paragraph._p
