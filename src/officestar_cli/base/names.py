"""The member key: the one rule by which two spellings of a name are one member.

docs/design.md, "Identity": NFC; every character of Unicode category Cf (zero-width
spaces and joiners, byte-order marks, bidi marks) and the soft hyphen removed;
NIKHAHIT + SARA AA folded into SARA AM (they render alike); every run of white
space, no-break spaces included, made one space; trimmed. Used wherever names are
compared: the template, the reader, the store, the committee roster.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_SOFT_HYPHEN = "\u00ad"


def member_key(name: str) -> str:
    """The name as officestar compares it (and records it)."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(ch for ch in text if ch != _SOFT_HYPHEN and unicodedata.category(ch) != "Cf")
    text = text.replace("\u0e4d\u0e32", "\u0e33")
    return _SPACES.sub(" ", text).strip()
