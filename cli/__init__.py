"""The `thidua` command line; each command group lives in its own module.

Its frame (usage, help headings, option errors) is Vietnamese (cli/i18n.py, cli/typer_vi.py), and one
boundary (cli/frame.py, cli/errors.py) turns every failure a user can meet into Vietnamese and an exit
code. A new command group is a `cli.frame.Typer`.
"""

from cli.i18n import use_vietnamese

use_vietnamese()  # before any command module: Typer's own texts are looked up in Vietnamese

from cli.appraisal import appraise, individuals_app, nominees_app, report_app, scores_app  # noqa: E402
from cli.council import council_app  # noqa: E402
from cli.cycle import cycle_app, dossier_app, register_app, serve, status, tick  # noqa: E402
from cli.demo import demo  # noqa: E402
from cli.deploy import deploy  # noqa: E402
from cli.frame import Typer  # noqa: E402
from cli.install import db_app, doctor, init  # noqa: E402
from cli.notify import notify_app, outbox_app  # noqa: E402
from cli.plans import calendar, plan_app  # noqa: E402
from cli.portal import portal_app, web  # noqa: E402
from cli.units import units_app  # noqa: E402
from deployments.prefect_env import offline_prefect  # noqa: E402

app = Typer(no_args_is_help=True, add_completion=False, help="Điều phối phong trào thi đua cải cách hành chính.")


@app.callback()
def _offline() -> None:
    """Điều phối phong trào thi đua cải cách hành chính."""
    offline_prefect()


app.add_typer(plan_app, name="plan")
app.command("calendar")(calendar)
app.add_typer(units_app, name="units")
app.add_typer(dossier_app, name="dossier")
app.add_typer(register_app, name="register")
app.add_typer(cycle_app, name="cycle")
app.command("status")(status)
app.command("tick")(tick)
app.command("serve")(serve)
app.command("deploy")(deploy)
app.command("demo")(demo)
app.command("appraise")(appraise)
app.add_typer(scores_app, name="scores")
app.add_typer(individuals_app, name="individuals")
app.add_typer(nominees_app, name="nominees")
app.add_typer(council_app, name="council")
app.add_typer(report_app, name="report")
app.add_typer(notify_app, name="notify")
app.add_typer(outbox_app, name="outbox")
app.command("init")(init)
app.command("doctor")(doctor)
app.add_typer(db_app, name="db")
app.command("web")(web)
app.add_typer(portal_app, name="portal")
