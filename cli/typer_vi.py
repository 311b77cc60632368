"""Typer 0.29 in Vietnamese: what its vendored Click no longer passes through gettext.

Since 0.26.0 Typer ships its own copy of Click (`typer._click`) with the gettext calls removed:
"Usage: ", "Show this message and exit.", "[OPTIONS]", every parse and validation error and the
`<int>`-style type labels are English literals there; only typer/core.py and typer/rich_utils.py
still call gettext. No setting reaches those literals, so this module uses Typer's public extension
point rather than patching it: `cls=` subclasses of TyperGroup and TyperCommand, installed by a
drop-in `Typer` subclass (cli/frame.py adds the error boundary on top). The wordings live in the same
catalog (cli/locale), under msgids equal to the English templates of the Typer and Click sources;
it reads `typer._click.exceptions` and matches 0.29's wording, hence the pin `typer>=0.29,<0.30`.

Nothing here changes Typer's behaviour, only the text; errors keep their exit codes.
"""

from __future__ import annotations

import re
from gettext import gettext as _
from gettext import pgettext
from typing import Any

import typer
from typer._click.exceptions import (  # read-only use of the vendored exception classes
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._click.utils import echo
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


def N_(message: str) -> str:
    """Marks a msgid for extraction (pybabel -k N_); translated later, at use."""
    return message


def NP_(context: str, message: str) -> str:
    """Marks a msgid with a context for extraction (pybabel -k NP_:1c,2); looked up later with pgettext."""
    return message


# English templates exactly as Typer 0.29.2 builds these messages (f-strings in typer/_click and
# typer/*.py). A message matching one is re-built from the Vietnamese msgstr with the same fields.
# Fields written {x!r} in the msgid are matched and re-inserted as already-quoted text.
_TEMPLATES = [
    N_("Got unexpected extra argument(s) ({args})"),
    N_("Option {name!r} requires an argument."),
    N_("Option {name!r} requires {nargs} arguments."),
    N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("No such option: {name}"),
    N_("Value must be an iterable."),
    N_("Value {value!r} is not a valid {type}."),
    # path checks (typer/_param_types.py); {name} is "file", "dir" or "path"
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    # Value errors raised inside Typer's pydantic validators ("Value error, ..." in pydantic)
    N_("{value!r} is not one of {choices}."),
    N_("{value!r} does not match the formats {formats}."),
    N_("{expected} values are required, but {given} given."),
    N_("Could not open file {filename!r}: {message}"),
]

# pydantic error type -> message, for values Typer hands to pydantic (int, float, datetime, ...)
_PYDANTIC = {
    "int_parsing": N_("{value!r} is not a valid integer."),
    "int_from_float": N_("{value!r} is not a valid integer."),
    "int_type": N_("{value!r} is not a valid integer."),
    "float_parsing": N_("{value!r} is not a valid number."),
    "float_type": N_("{value!r} is not a valid number."),
    "bool_parsing": N_("{value!r} is not a valid boolean."),
    "datetime_parsing": N_("{value!r} is not a valid date and time."),
    "datetime_from_date_parsing": N_("{value!r} is not a valid date and time."),
    "date_parsing": N_("{value!r} is not a valid date."),
    "date_from_datetime_parsing": N_("{value!r} is not a valid date."),
    "date_from_datetime_inexact": N_("{value!r} is not a valid date."),
    "time_parsing": N_("{value!r} is not a valid time."),
    "uuid_parsing": N_("{value!r} is not a valid UUID."),  # also Click's msgid
    "decimal_parsing": N_("{value!r} is not a valid decimal number."),
}
_RANGE = {"greater_than_equal": "x>={}", "greater_than": "x>{}", "less_than_equal": "x<={}", "less_than": "x<{}"}

# help texts of the options Typer adds itself (add_completion=True)
_OPTION_HELP = [
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Install completion for the specified shell."),
    N_("Show completion for the specified shell, to copy it or customize the installation."),
]

# type labels shown by Typer >= 0.27 in help (<int>, <list[str]>, <path>, ...), pgettext context
_TYPE_NAMES = (
    NP_("typer type", "int"), NP_("typer type", "float"), NP_("typer type", "str"), NP_("typer type", "bool"),
    NP_("typer type", "path"), NP_("typer type", "file"), NP_("typer type", "dir"), NP_("typer type", "datetime"),
    NP_("typer type", "date"), NP_("typer type", "time"), NP_("typer type", "Decimal"), NP_("typer type", "UUID"),
)  # fmt: skip
# glibc strerror() texts of file parameters that cannot be opened
_STRERRORS = (
    N_("No such file or directory"), N_("Permission denied"), N_("Is a directory"), N_("Not a directory"),
    N_("Read-only file system"), N_("No space left on device"),
)  # fmt: skip
_USAGE_PIECES = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))


def _regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)(?:![rs])?\}", template)
    pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(f"^{pattern}$", re.DOTALL)


_COMPILED = [(t, _regex(t)) for t in _TEMPLATES]
# fields a template's msgstr may use that its English text spells out (shared with a Click plural msgid)
_DEFAULTS = {"Option {name!r} requires an argument.": {"nargs": "1"}}


def _fill(msgid: str, **fields: Any) -> str:
    """Translate msgid and fill it; fields already quoted by the English text stay as they are."""
    return re.sub(r"\{(\w+)![rs]\}", r"{\1}", _(msgid)).format(**fields)


def translate_text(text: str) -> str:
    """Vietnamese for one English message built by Typer, or the text unchanged."""
    head, sep, tail = text.partition("Value error, ")  # pydantic's wrapping of a ValueError
    if sep and not head:
        text = tail
    suggestion = re.search(r"\. Did you mean (?P<suggestions>.+)\?$", text)
    if suggestion:  # TyperGroup appends this to "No such command 'x'." (already translated)
        did_you_mean = _fill(N_("Did you mean {suggestions}?"), **suggestion.groupdict())
        return f"{text[: suggestion.start()]}. {did_you_mean}"
    for msgid, regex in _COMPILED:
        m = regex.match(text)
        if m:
            fields = {**_DEFAULTS.get(msgid, {}), **m.groupdict()}
            if "name" in fields and msgid.startswith("{name}"):
                fields["name"] = _type_label(fields["name"])  # "file", "dir", "path"
            out = _fill(msgid, **fields)
            return out[:1].upper() + out[1:]
    return text


def _param_hint(e: BadParameter) -> str | None:
    hint: Any = e.param_hint
    if hint is None and e.param is not None:
        hint = e.param.get_error_hint()
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    if hint:
        envvar = re.search(r" \(env var: (.+)\)$", hint)
        if envvar:
            hint = hint[: envvar.start()] + " " + _fill(N_("(env var: {var})"), var=envvar.group(1))
    return hint


def _pydantic_text(e: BaseException) -> str | None:
    cause = e.__cause__
    errors = getattr(cause, "errors", None)
    if not callable(errors):
        return None
    try:
        first = errors()[0]
    except Exception:  # noqa: BLE001 - not a pydantic ValidationError after all
        return None
    kind, value, ctx = first.get("type"), first.get("input"), first.get("ctx") or {}
    if kind in _PYDANTIC:
        return _fill(_PYDANTIC[kind], value=repr(value))
    if kind in _RANGE:
        low, high = getattr(e.param, "min", None), getattr(e.param, "max", None)
        if low is not None and high is not None:
            bounds = f"{low}<=x<={high}"  # as Typer prints ranges in help
        else:
            bounds = _RANGE[kind].format(next(iter(ctx.values()), "?"))
        return _fill(N_("{value} is not in the range {range}."), value=value, range=bounds)
    return None


def _oserror_text(e: BaseException) -> str | None:
    """"'name': No such file or directory" (file parameters): the strerror is the C library's English."""
    cause = e.__cause__
    if isinstance(cause, OSError) and cause.strerror in _STRERRORS and e.message.endswith(f": {cause.strerror}"):
        return e.message[: -len(cause.strerror)] + _(cause.strerror)
    return None


def translate_error(e: ClickException) -> ClickException:
    """A Vietnamese copy of a Typer usage error (same context and exit code)."""
    if isinstance(e, (NoArgsIsHelpError, TranslatedError)):
        return e
    if isinstance(e, MissingParameter):
        # composed like Click 8.5's MissingParameter.format_message, so Click's msgids serve
        hint = _param_hint(e)
        param_type = e.param_type or (e.param.param_type_name if e.param else "parameter")
        missing = {
            "argument": _(N_("Missing argument")),
            "option": _(N_("Missing option")),
            "parameter": _(N_("Missing parameter")),
        }.get(param_type) or _fill(N_("Missing {param_type}"), param_type=param_type)
        notes = [translate_text(e.message)] if e.message else []
        choices = e.param.get_missing_message(ctx=e.ctx) if e.param else ""
        if choices and choices.startswith("Choose from:\n\t"):
            notes.append(_fill(N_("Choose from:\n\t{choices}"), choices=choices.removeprefix("Choose from:\n\t")))
        elif choices:
            notes.append(choices)
        text = f"{missing}{' ' + hint if hint else ''}.{' ' + '. '.join(notes) if notes else ''}"
    elif isinstance(e, NoSuchOption):
        text = e.message
        if text == f"No such option: {e.option_name}":
            text = _fill(N_("No such option: {name}"), name=e.option_name)
        if e.possibilities:
            possible = ", ".join(sorted(e.possibilities))
            text += " " + _fill(N_("(Possible options: {possibilities})"), possibilities=possible)
    elif isinstance(e, BadParameter):
        body = _pydantic_text(e) or _oserror_text(e) or translate_text(e.message)
        hint = _param_hint(e)
        if hint:
            text = _fill(N_("Invalid value for {param_hint}: {message}"), param_hint=hint, message=body)
        else:
            text = _fill(N_("Invalid value: {message}"), message=body)
    else:
        text = translate_text(e.format_message())
    out = TranslatedError(text, getattr(e, "ctx", None))
    out.exit_code = e.exit_code
    return out


class TranslatedError(UsageError):
    """Carries an already translated message; printed like UsageError, in Vietnamese."""

    def format_message(self) -> str:
        return self.message

    def show(self, file: Any = None) -> None:  # only without rich (rich uses rich_utils' gettext)
        if self.ctx is not None:
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = _fill(N_("Try '{command} {option}' for help."), command=self.ctx.command_path,
                             option=self.ctx.help_option_names[0]) + "\n"
            echo(f"{self.ctx.get_usage()}\n{hint}", file=file, err=True, color=self.ctx.color)
        echo(_fill(N_("Error: {message}"), message=self.format_message()), file=file, err=True)


def _type_label(inner: str) -> str:
    m = re.fullmatch(r"list\[(.+)\]", inner)
    if m:
        return _fill(N_("list[{item}]"), item=_type_label(m.group(1)))
    if m := re.fullmatch(r"(\w+) range", inner):
        return _fill(N_("{type} range"), type=_type_label(m.group(1)))
    if "," in inner:
        return ",".join(_type_label(p) for p in inner.split(","))
    if inner in _TYPE_NAMES:
        return pgettext("typer type", inner)
    return inner  # choices (a|b), date formats: shown as they are


class _Vietnamese:
    """Mixin for TyperCommand / TyperGroup."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = [_(p) if p in _USAGE_PIECES else p for p in self.collect_usage_pieces(ctx)]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_(N_("Usage:")) + " ")

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _(N_("Show this message and exit."))
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        for param in self.get_params(ctx):
            if getattr(param, "_vi", False) or not isinstance(param, (TyperOption, TyperArgument)):
                continue
            param._vi = True
            if getattr(param, "help", None) in _OPTION_HELP:
                param.help = _(param.help)
            if isinstance(param, TyperOption) and (param.is_flag or param.count) and param.metavar is None:
                # a flag takes no value: no type column (Typer 0.29 shows <bool>, Click shows nothing)
                param.metavar = ""
                continue
            label = param.display_type(ctx)
            if not (label.startswith("<") and label.endswith(">")):
                continue
            label = f"<{_type_label(label[1:-1])}>"
            if isinstance(param, TyperOption):
                # an option's type column shows its metavar when set (public: typer.Option(metavar=))
                if param.metavar is None:
                    param.metavar = label + ("..." if param.nargs != 1 else "")
            else:
                # an argument's metavar is its *name* (usage line, errors); its type column has no
                # setting, so this instance (created by Typer for this app) gets its own label
                param.display_type_rich = lambda ctx, label=label: label
        super().format_help(ctx, formatter)

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except ClickException as e:
            translated = translate_error(e)
            if translated is e:
                raise
            raise translated from e

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ClickException as e:
            translated = translate_error(e)
            if translated is e:
                raise
            raise translated from e


class Command(_Vietnamese, TyperCommand):
    pass


class Group(_Vietnamese, TyperGroup):
    pass


class Typer(typer.Typer):
    """typer.Typer whose groups and commands print Vietnamese (cls= defaults)."""

    def __init__(self, *args: Any, cls: type[TyperGroup] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, cls=cls or Group, **kwargs)

    def command(self, *args: Any, cls: type[TyperCommand] | None = None, **kwargs: Any) -> Any:
        return super().command(*args, cls=cls or Command, **kwargs)
