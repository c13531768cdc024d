"""A problem in the rubric file, and the one error that carries all of them."""

from __future__ import annotations

from dataclasses import dataclass

from officestar_cli.base.errors import OfficestarError


@dataclass(frozen=True)
class RubricProblem:
    file: str
    line: int  # 1-based
    column: int  # 1-based
    key: str
    th: str
    en: str

    def render(self, lang: str) -> str:
        first, second = (self.th, self.en) if lang == "th" else (self.en, self.th)
        return f"{self.file}:{self.line}:{self.column}: {self.key}: {first} / {second}"


class RubricError(OfficestarError):
    """The rubric file cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[RubricProblem]) -> None:
        self.problems = problems
        th = "\n".join(p.render("th") for p in problems)
        en = "\n".join(p.render("en") for p in problems)
        super().__init__(
            f"ใช้ไฟล์เกณฑ์ไม่ได้ พบปัญหา {len(problems)} รายการ:\n{th}",
            f"The rubric cannot be used; {len(problems)} problem(s):\n{en}",
        )


def file_problem(name: str, th: str, en: str, line: int = 1) -> RubricError:
    """The error for a file that cannot be read as a rubric at all."""
    return RubricError([RubricProblem(name, line, 1, "-", th, en)])
