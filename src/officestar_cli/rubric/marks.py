"""YAML read into plain data, remembering where every key and value was written.

Anchors and aliases (``&name`` / ``*name``) are refused before any node is built:
an alias reuses a node, so a few hundred bytes can stand for billions of keys or
values (in mapping keys as well as in values). The events are scanned first, which
takes time in proportion to the file, and nothing is composed when one is found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from officestar_cli.rubric.problems import RubricError, RubricProblem, file_problem

Path_ = tuple[str | int, ...]

_ALIAS_TH = "ไม่รองรับการอ้างอิง YAML (&/*) ให้เขียนค่าเต็ม"
_ALIAS_EN = "YAML anchors and aliases (&/*) are not supported: write the value out"
_MAX_ALIAS_PROBLEMS = 20


@dataclass
class Marked:
    """Plain data from the YAML nodes, plus where every value and key was written."""

    file: str
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    scalars: dict[Path_, str] = field(default_factory=dict)
    problems: list[RubricProblem] = field(default_factory=list)

    def mark(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        marks = self.key_marks if key else self.value_marks
        while path not in marks and path:
            path = path[:-1]
        return marks.get(path, (1, 1))

    def problem(self, path: Path_, th: str, en: str, *, key: bool = False) -> None:
        line, column = self.mark(path, key=key)
        self.problems.append(RubricProblem(self.file, line, column, dotted(path), th, en))


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def _loader() -> Any:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_anchors(text: str, name: str) -> None:
    """Every anchor and alias, found from the event stream alone (nothing is built)."""
    problems: list[RubricProblem] = []
    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            mark = event.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            problems.append(RubricProblem(name, line, column, "-", _ALIAS_TH, _ALIAS_EN))
            if len(problems) == _MAX_ALIAS_PROBLEMS:
                break
    if problems:
        raise RubricError(problems)


def _build(node: yaml.Node, path: Path_, tree: Marked, constructor: yaml.SafeLoader) -> Any:
    tree.value_marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                odd: Path_ = (*path, "?")
                tree.key_marks[odd] = mark
                tree.problem(odd, "คีย์ต้องเป็นข้อความ", "a key must be plain text", key=True)
                continue
            key = str(_construct(key_node, (*path, "?"), tree, constructor))
            child = (*path, key)
            tree.key_marks[child] = mark
            if key in out:
                tree.value_marks[child] = mark
                tree.problem(child, f"คีย์ '{key}' ซ้ำ", f"duplicate key '{key}'", key=True)
                continue
            out[key] = _build(value_node, child, tree, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), tree, constructor) for i, item in enumerate(node.value)]
    tree.scalars[path] = str(node.value)
    return _construct(node, path, tree, constructor)


def _construct(node: yaml.Node, path: Path_, tree: Marked, constructor: yaml.SafeLoader) -> Any:
    try:
        return constructor.construct_object(node, deep=True)
    except ValueError:
        # An integer with more digits than Python converts (thousands of them).
        tree.value_marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        tree.problem(path, "ตัวเลขยาวเกินไป", "the number has too many digits")
        return None


def read_marked(text: str, name: str) -> tuple[Any, Marked]:
    """The YAML text as plain data and its marks; a file that is not YAML is a RubricError."""
    tree = Marked(name)
    try:
        _refuse_anchors(text, name)
        root = yaml.compose(text, Loader=_loader())
        if root is None:
            raise file_problem(name, "ไฟล์ว่าง", "the file is empty")
        data = _build(root, (), tree, yaml.SafeLoader(""))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RubricError(
            [
                RubricProblem(
                    name,
                    line,
                    column,
                    "-",
                    f"เขียน YAML ไม่ถูกต้อง ({exc.problem})",
                    f"invalid YAML ({exc.problem})",
                )
            ]
        ) from None
    except yaml.reader.ReaderError as exc:
        # A control character written as it is (not as an escape) stops the YAML reader.
        line = text[: exc.position].count("\n") + 1
        code = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise file_problem(
            name,
            f"มีอักขระควบคุม {code} ซึ่งใช้ในไฟล์เกณฑ์ไม่ได้",
            f"holds the control character {code}, which a rubric cannot hold",
            line,
        ) from None
    except yaml.YAMLError as exc:
        raise file_problem(name, f"เขียน YAML ไม่ถูกต้อง ({exc})", f"invalid YAML ({exc})") from None
    return data, tree
