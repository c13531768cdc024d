"""officestar: a rubric-scored office contest, from blank score workbooks to signed results."""

import os

__version__ = "0.1.0"

# openpyxl writes XML through lxml whenever lxml is installed (python-docx brings it) and
# through the standard library otherwise; the two spell empty cells differently. The blank
# workbooks are to be the same bytes on every machine, so openpyxl always gets the standard
# library's writer unless the user chose otherwise (docs/design-documents.md).
os.environ.setdefault("OPENPYXL_LXML", "False")
