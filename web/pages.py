"""Rendering the portal's pages: Jinja2 templates with autoescape, Vietnamese dates and sizes."""

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from notifications.render import clock_date
from thidua.words import ddmmyyyy, file_size, long_date

TEMPLATES = Path(__file__).with_name("templates")


class Pages:
    """The compiled templates of the portal."""

    def __init__(self) -> None:
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2", "html"]), undefined=StrictUndefined,
            trim_blocks=True, lstrip_blocks=True,
        )  # fmt: skip
        self._env.filters.update(long_date=long_date, ddmmyyyy=ddmmyyyy, clock_date=clock_date, file_size=file_size)

    def render(self, template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
        return HTMLResponse(self._env.get_template(template).render(**context), status_code=status, headers=headers)

    def message(self, title: str, text: str, status: int, back: str | None = None, headers: dict[str, str] | None = None) -> HTMLResponse:
        """A page that says one thing (an error, a closed link) in Vietnamese, with a way back if there is one."""
        return self.render("message.html.j2", status, headers, title=title, text=text, back=back)
