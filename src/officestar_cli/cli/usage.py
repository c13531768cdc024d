"""Usage errors and ``--help`` in Thai (English with ``--lang en``).

The option parser typer builds on reports a bad command line in English. The
command classes here take over the two places it speaks: ``main`` turns every
usage error (unknown option, an option without its value, a bad value, an extra
argument, an unknown command) into a Thai or English message and exit 2, and
``format_help`` writes the help page from the bilingual help texts of
``cli/options.py``. Only typer's public names are used: ``typer.core``'s group
and command classes (meant for ``cls=``) and the usage-error class found from
``typer.BadParameter``; the errors' documented attributes (``ctx``,
``option_name``, ``possibilities``, ``param``) say what went wrong.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from officestar_cli.base.exit_codes import ExitCode

_USAGE_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


class UsageProblem(typer.BadParameter):
    """A bad value of an option, said in both languages."""

    def __init__(self, option: str, th: str, en: str) -> None:
        super().__init__(en, param_hint=option)
        self.option = option
        self.th = th
        self.en = en


def argv_lang(args: Sequence[str]) -> str:
    """The language a command line asks for, read before it is parsed (help and usage errors need it)."""
    chosen = os.environ.get("OFFICESTAR_LANG", "th")
    for n, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and n + 1 < len(args):
            chosen = args[n + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
    return "en" if chosen.strip().lower().startswith("en") else "th"


_help_lang = "th"


def pick(text: str | None, lang: str) -> str:
    """The help of ``lang`` from a bilingual text (Thai, blank line, English): both for Thai, Thai first."""
    if not text:
        return ""
    th, sep, en = text.partition("\n\n")
    if lang == "en":
        return " ".join((en if sep else th).split())
    return " ".join(th.split()) + ("\n\n" + " ".join(en.split()) if sep else "")


def _t(th: str, en: str) -> str:
    return th if _help_lang == "th" else en


# --------------------------------------------------------------------------- help


def _usage_pieces(command: Any) -> str:
    pieces: list[str] = [_t("[ตัวเลือก]", "[OPTIONS]")]
    for param in command.params:
        if getattr(param, "param_type_name", "") == "argument":
            pieces.append(f"[{_argument_name(param)}]")
    if isinstance(command, TyperGroup):
        pieces.append(_t("คำสั่ง [อาร์กิวเมนต์]...", "COMMAND [ARGS]..."))
    return " ".join(pieces)


def _argument_name(param: Any) -> str:
    return str(param.metavar or (param.name or "").upper())


def _write_help(command: Any, ctx: Any, formatter: Any) -> None:
    formatter.write_usage(ctx.command_path, _usage_pieces(command), prefix=_t("วิธีใช้: ", "Usage: "))
    text = pick(command.help, _help_lang)
    if text:
        formatter.write_paragraph()
        for line in text.splitlines():
            formatter.write_text(line)
    arguments, options = [], []
    for param in command.get_params(ctx):
        if getattr(param, "param_type_name", "") == "argument":
            arguments.append((_argument_name(param), pick(getattr(param, "help", None), _help_lang)))
            continue
        opts = ", ".join([*param.opts, *param.secondary_opts])
        if param.name == "help":
            described = pick("แสดงคำอธิบายนี้แล้วจบ\n\nShow this message and exit.", _help_lang)
        elif param.name == "version":
            described = pick("แสดงรุ่นของโปรแกรมแล้วจบ\n\nShow the version and exit.", _help_lang)
        else:
            described = pick(param.help, _help_lang)
        metavar = "" if param.is_flag else f" {param.metavar or param.name.upper()}"
        options.append((opts + metavar, described))
    if arguments:
        with formatter.section(_t("อาร์กิวเมนต์", "Arguments")):
            formatter.write_dl(arguments)
    with formatter.section(_t("ตัวเลือก", "Options")):
        formatter.write_dl(options)
    if isinstance(command, TyperGroup):
        rows = [(name, pick(sub.help, _help_lang).splitlines()[0] if sub.help else "")
                for name, sub in command.commands.items()]
        with formatter.section(_t("คำสั่ง", "Commands")):
            formatter.write_dl(rows)


class OfficestarCommand(TyperCommand):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        _write_help(self, ctx, formatter)


class OfficestarGroup(TyperGroup):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        _write_help(self, ctx, formatter)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        global _help_lang
        argv = list(sys.argv[1:] if args is None else args)
        _help_lang = argv_lang(argv)
        try:
            outcome = super().main(argv, prog_name, complete_var, standalone_mode=False,
                                   windows_expand_args=windows_expand_args, **extra)
        except _USAGE_ERROR as exc:
            _show_usage_error(exc, _help_lang, self._named(argv, prog_name))
            if not standalone_mode:
                raise
            sys.exit(int(ExitCode.USAGE))
        if not standalone_mode:
            return outcome
        sys.exit(outcome if isinstance(outcome, int) else 0)

    def _named(self, argv: Sequence[str], prog_name: str | None) -> tuple[str, Any]:
        """The command a command line names, for the usage line of an error raised before it had a context."""
        prog = prog_name or self.name or "officestar"
        for arg in argv:
            if arg in self.commands:
                return f"{prog} {arg}", self.commands[arg]
        return prog, self


# --------------------------------------------------------------------------- usage errors

_KNOWN = (
    (re.compile(r"No such command '(.*)'"), "ไม่มีคำสั่ง {0}", "no such command: {0}"),
    (re.compile(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)"), "มีอาร์กิวเมนต์เกินมา: {0}",
     "unexpected extra argument(s): {0}"),
    (re.compile(r"Option '(.*)' requires an argument"), "ตัวเลือก {0} ต้องมีค่าตามหลัง",
     "option {0} needs a value"),
    (re.compile(r"Option '(.*)' does not take a value"), "ตัวเลือก {0} ไม่รับค่า", "option {0} takes no value"),
)


def usage_message(exc: Any, lang: str) -> str:
    """What was wrong with the command line, in ``lang``."""
    if isinstance(exc, UsageProblem):
        return f"{exc.option}: {exc.th if lang == 'th' else exc.en}"
    name = type(exc).__name__
    if name == "NoSuchOption":
        option = exc.option_name
        close = ", ".join(sorted(exc.possibilities or ()))
        if lang == "th":
            return f"ไม่รู้จักตัวเลือก {option}" + (f" (หมายถึง {close} หรือไม่)" if close else "")
        return f"no such option: {option}" + (f" (did you mean {close}?)" if close else "")
    if name == "MissingParameter" and exc.param is not None:
        what = _argument_name(exc.param) if exc.param.param_type_name == "argument" else exc.param.opts[0]
        return _t_for(lang, f"ขาด {what}", f"missing {what}")
    text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    for pattern, th, en in _KNOWN:
        found = pattern.search(text)
        if found:
            return (th if lang == "th" else en).format(*found.groups())
    return _t_for(lang, f"ใช้คำสั่งไม่ถูกต้อง ({text})", text)


def _t_for(lang: str, th: str, en: str) -> str:
    return th if lang == "th" else en


def _show_usage_error(exc: Any, lang: str, named: tuple[str, Any]) -> None:
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
        sys.stderr.write(ctx.get_help() + "\n")
        return
    path, command = (ctx.command_path, ctx.command) if ctx is not None else named
    lines = [
        _t_for(lang, "วิธีใช้: ", "Usage: ") + f"{path} {_usage_pieces(command)}",
        _t_for(lang, f"ดูคำอธิบาย: {path} --help", f"Try '{path} --help' for help."),
        "",
    ]
    lines.append(_t_for(lang, "ข้อผิดพลาด: ", "Error: ") + usage_message(exc, lang))
    sys.stderr.write("\n".join(lines) + "\n")
    sys.stderr.flush()
