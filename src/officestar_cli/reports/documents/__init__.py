"""The signed documents of a round: the announcement (ประกาศ) and the certificates (เกียรติบัตร).

Each is written as an editable docx and as a PDF set by the Typst engine; see
docs/documents.md for the layout, the fonts and what makes two runs identical.
"""
