"""Vietnamese message templates: one Jinja2 template per message kind, rendered in a sandbox.

Each kind is `templates/<kind>.j2`; it extends `_base.j2` and defines the blocks `subject` and
`main`. The plain-text body is the rendered template; the HTML body is `_layout.html.j2`
rendered with autoescape from the same paragraphs, so no value can inject markup. An authority
overrides any of these files by putting a file of the same name in its own folder.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

from thidua import words as vi
from thidua.cycle.drafts import MessageContext, MessageKind

DEFAULT_DIR = Path(__file__).with_name("templates")
ZNS_VALUE_MAX = 100  # UNCONFIRMED: per-parameter length limit of ZNS templates; check the approved template
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    template_data: dict[str, str]


def one_line(value: str) -> str:
    """`value` without control characters or line breaks, whitespace collapsed (safe in a header)."""
    return " ".join(_CONTROL.sub(" ", value).split())


def _template_vars(ctx: MessageContext) -> dict[str, Any]:
    """The names templates see: every text field on one line, dates as `date` objects."""
    clean = lambda items: tuple(one_line(item) for item in items)  # noqa: E731
    return {
        "kind": str(ctx.kind),
        "plan_code": one_line(ctx.plan_code),
        "plan_title": one_line(ctx.plan_title),
        "issuer": one_line(ctx.issuer),
        "year": ctx.year,
        "unit_code": one_line(ctx.unit_code),
        "unit_name": one_line(ctx.unit_name),
        "recipient_name": one_line(ctx.recipient_name),
        "deliverable": one_line(ctx.deliverable),
        "milestone_label": one_line(ctx.milestone_label),
        "deadline": ctx.deadline,
        "days_left": ctx.days_left,
        "missing_documents": clean(ctx.missing_documents),
        "contact_name": one_line(ctx.contact_name),
        "contact_email": one_line(ctx.contact_email),
        "contact_phone": one_line(ctx.contact_phone),
        "late_units": clean(ctx.late_units),
        "problems": clean(ctx.problems),
        "owed": clean(ctx.owed),
    }


ZNS_PARAMETERS = ("recipient_name", "unit_name", "plan", "milestone", "deadline", "missing", "contact")
"""The parameters of the approved ZNS reminder template, as `template_data` fills them."""


def template_data(ctx: MessageContext) -> dict[str, str]:
    """ZNS `template_data` (parameter name → value) for the approved reminder template."""
    missing = ", ".join(ctx.missing_documents) or f"toàn bộ {vi.lower_first(ctx.deliverable)}"
    data = {
        "recipient_name": ctx.recipient_name,
        "unit_name": ctx.unit_name,
        "plan": f"{ctx.plan_title} năm {ctx.year}",
        "milestone": ctx.milestone_label,
        "deadline": vi.long_date(ctx.deadline),
        "missing": missing,
        "contact": f"{ctx.contact_name}, {ctx.contact_phone}",
    }
    return {key: one_line(value)[:ZNS_VALUE_MAX] for key, value in data.items()}


class Renderer:
    """Compiles the templates once and renders any number of messages from them."""

    def __init__(self, override_dir: Path | None = None) -> None:
        folders = [override_dir, DEFAULT_DIR] if override_dir else [DEFAULT_DIR]
        loader = ChoiceLoader([FileSystemLoader(folder) for folder in folders])
        self._text_env = self._environment(loader, autoescape=False)
        self._html_env = self._environment(loader, autoescape=True)
        self._kinds: dict[MessageKind, Template] = {
            kind: self._text_env.get_template(f"{kind}.j2") for kind in MessageKind
        }
        self._layout = self._html_env.get_template("_layout.html.j2")

    @staticmethod
    def _environment(loader: ChoiceLoader, *, autoescape: bool) -> ImmutableSandboxedEnvironment:
        env = ImmutableSandboxedEnvironment(
            loader=loader,
            undefined=StrictUndefined,
            autoescape=autoescape,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        env.filters.update(long_date=vi.long_date, ddmmyyyy=vi.ddmmyyyy, upper_first=vi.upper_first, lower_first=vi.lower_first)
        return env

    def render(self, ctx: MessageContext) -> Rendered:
        """Subject (one line), plain text, HTML and ZNS data of the message `ctx` describes."""
        template = self._kinds[ctx.kind]
        variables = _template_vars(ctx)
        subject = one_line("".join(template.blocks["subject"](template.new_context(variables))))
        text = re.sub(r"\n{3,}", "\n\n", template.render(variables)).strip() + "\n"
        paragraphs = [block.splitlines() for block in text.split("\n\n")]
        html = self._layout.render(variables, subject=subject, paragraphs=paragraphs)
        return Rendered(subject=subject, text=text, html=html, template_data=template_data(ctx))
