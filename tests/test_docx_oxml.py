"""The python-docx hooks of reports/documents/docx_oxml.py still reach what they rely on."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from docx import Document

from officestar_cli.reports.documents import docx_oxml

ROOT = Path(__file__).resolve().parents[1]


def test_the_pinned_minor_version_is_the_installed_one() -> None:
    installed = ".".join(metadata.version("python-docx").split(".")[:2])
    assert installed == docx_oxml.PINNED
    pin = re.search(r'"python-docx>=([\d.]+),<([\d.]+)"', (ROOT / "pyproject.toml").read_text("utf-8"))
    assert pin is not None and pin.group(1).startswith(docx_oxml.PINNED)


def test_the_run_and_paragraph_elements_are_what_the_hooks_expect() -> None:
    document = Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run("ผู้ใหญ่")
    r = docx_oxml.run_element(run)
    p = docx_oxml.paragraph_element(paragraph)
    assert r.tag.endswith("}r") and p.tag.endswith("}p")
    assert r.getparent() is p
    r.get_or_add_rPr().get_or_add_bCs()  # the complex-script bold the documents add
    assert r.rPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bCs") is not None
    p.getparent().remove(p)
    assert paragraph.text not in [q.text for q in document.paragraphs if q.text]
