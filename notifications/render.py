"""Vietnamese message templates: one Jinja2 template per message kind, rendered in a sandbox.

Each kind is `templates/<kind>.j2`; it extends `_base.j2` and defines the blocks `subject` and
`main`. The plain-text body is the rendered template; the HTML body is `_layout.html.j2`
rendered with autoescape from the same paragraphs, so no value can inject markup. An authority
overrides any of these files by putting a file of the same name in its own folder.

A renderer given a link maker (`with_links`) puts the owner's personal link to the unit portal in every
message to an owner (email and OA text, and the ZNS parameter `link`); messages to the standing agency or
the chairman about all late owners carry none.
"""

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

from thidua import words as vi
from thidua.cycle.drafts import AGGREGATE_UNIT, MessageContext, MessageKind
from thidua.cycle.state import AGENCY
from thidua.dates import TZ

DEFAULT_DIR = Path(__file__).with_name("templates")
ZNS_VALUE_MAX = 100  # UNCONFIRMED: per-parameter length limit of ZNS templates; check the approved template
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
NO_LINK = frozenset({AGGREGATE_UNIT, AGENCY})  # messages about all late owners, or to the standing agency itself

LinkMaker = Callable[[str, int, str], str | None]
"""(plan, year, unit code) → the owner's personal link to the unit portal, or None."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    template_data: dict[str, str]


def one_line(value: str) -> str:
    """`value` without control characters or line breaks, whitespace collapsed (safe in a header)."""
    return " ".join(_CONTROL.sub(" ", value).split())


def clock_date(instant: datetime) -> str:
    """`14:05, Thứ Ba, 25/11/2025`: an instant in Vietnam time."""
    return vi.clock_date(instant.astimezone(TZ))


def _template_vars(ctx: MessageContext, link: str | None) -> dict[str, Any]:
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
        "received_at": ctx.received_at,
        "reason": one_line(ctx.reason),
        "link": link or "",
    }


ZNS_PARAMETERS = ("recipient_name", "unit_name", "plan", "milestone", "deadline", "missing", "contact")
"""The parameters of the approved ZNS reminder template, as `template_data` fills them."""
ZNS_LINK = "link"  # and the owner's personal link, when the portal is on (THIDUA_PUBLIC_URL)


def template_data(ctx: MessageContext, link: str | None = None) -> dict[str, str]:
    """ZNS `template_data` (parameter name → value) for the approved reminder template; `link` (the owner's
    personal link, for the template's button) is never cut, since a cut link does not open."""
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
    values = {key: one_line(value)[:ZNS_VALUE_MAX] for key, value in data.items()}
    return {**values, ZNS_LINK: link} if link else values


class Renderer:
    """Compiles the templates once and renders any number of messages from them."""

    def __init__(self, override_dir: Path | None = None) -> None:
        self._links: LinkMaker | None = None
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
        env.filters.update(
            long_date=vi.long_date, ddmmyyyy=vi.ddmmyyyy, upper_first=vi.upper_first, lower_first=vi.lower_first, clock_date=clock_date
        )
        return env

    def with_links(self, links: LinkMaker | None) -> "Renderer":
        """This renderer (the same compiled templates) putting the links of `links` in messages to owners."""
        linked = copy.copy(self)
        linked._links = links
        return linked

    def link(self, ctx: MessageContext) -> str | None:
        """The personal link a message to an owner carries (None without a link maker, or to the agency)."""
        if self._links is None or ctx.unit_code in NO_LINK or ctx.kind is MessageKind.admin_alert:
            return None
        return self._links(ctx.plan_code, ctx.year, ctx.unit_code)

    def render(self, ctx: MessageContext) -> Rendered:
        """Subject (one line), plain text, HTML and ZNS data of the message `ctx` describes."""
        template = self._kinds[ctx.kind]
        link = self.link(ctx)
        variables = _template_vars(ctx, link)
        subject = one_line("".join(template.blocks["subject"](template.new_context(variables))))
        text = re.sub(r"\n{3,}", "\n\n", template.render(variables)).strip() + "\n"
        paragraphs = [block.splitlines() for block in text.split("\n\n")]
        html = self._layout.render(variables, subject=subject, paragraphs=paragraphs)
        return Rendered(subject=subject, text=text, html=html, template_data=template_data(ctx, link))
