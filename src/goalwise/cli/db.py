"""``goalwise db``: migrate the database and report its state."""

from __future__ import annotations

import typer

from goalwise.cli.runtime import err, open_db, out, print_json
from goalwise.storage.migrate import running_role_owns_audit_log, schema_status, upgrade

app = typer.Typer(help="Create or migrate the database and show its schema version.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_cmd() -> None:
    """Apply every pending migration (safe to run again)."""
    db = open_db(migrated=False, as_owner=True)
    before = schema_status(db)
    after = upgrade(db)
    if before.current == after.current:
        err.print(f"The database is already at the newest revision ({after.current}).")
    else:
        err.print(f"[green]Migrated[/] the database from {before.current or 'empty'} to {after.current}.")


@app.command("status")
def status_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show the database's revision and whether it needs `goalwise db upgrade`."""
    db = open_db(migrated=False)
    status = schema_status(db)
    owner = running_role_owns_audit_log(db) if status.state != "empty" else None
    if owner is not None:
        err.print(
            f"[yellow]warning:[/] the app's database role {owner} owns audit_events (or is a superuser), "
            "so it "
            "could disable the audit log's triggers and delete its rows; run the app as a role with rights "
            'on rows only (docs/admin-guide.md, "Two database roles")',
            soft_wrap=True,
        )
    if as_json:
        print_json(
            {
                "current": status.current,
                "head": status.head,
                "state": status.state,
                "up_to_date": status.up_to_date,
                "dialect": db.dialect,
                "app_role_owns_audit_log": owner is not None,
            }
        )
        return
    advice = {
        "current": "up to date",
        "empty": "not set up: run `goalwise db upgrade`",
        "behind": "needs migrating: run `goalwise db upgrade`",
        "ahead": "migrated by a newer Goalwise: upgrade Goalwise",
    }[status.state]
    out.print(
        f"database: {db.dialect}\nrevision: {status.current or '(none)'}\nnewest:   {status.head}\n"
        f"state:    {advice}"
    )
