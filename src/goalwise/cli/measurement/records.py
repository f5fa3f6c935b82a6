"""``goalwise episode``, ``goalwise abc`` and ``goalwise journal``: the client's narrative records."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from goalwise.cli.measurement.measure import AtOpt, ClientOpt, JsonOpt, parse_at, parse_day
from goalwise.cli.runtime import err, open_ctx, out, print_json
from goalwise.core.accounts.actor import Actor
from goalwise.services.measurement import abc, episodes, journal

__all__ = ["register"]

episode_app = typer.Typer(help="Log and list episodes (the trigger log).", no_args_is_help=True)
abc_app = typer.Typer(help="ABC chart: add entries, list them, summarise them.", no_args_is_help=True)
journal_app = typer.Typer(help="The client's journal (private by default).", no_args_is_help=True)
FromOpt = typer.Option(None, "--from", help="First local day (YYYY-MM-DD).")
ToOpt = typer.Option(None, "--to", help="Last local day (YYYY-MM-DD).")


def _t(value: object) -> Text:
    """Client text as plain text: square brackets in it are not Rich markup."""
    return Text("" if value is None else str(value))


def _plain(record: Any) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in asdict(record).items()}


@episode_app.command("add")
def episode_add(
    client: int = ClientOpt,
    situation: str | None = typer.Option(None, "--situation", help="Where and what was happening."),
    environment: str | None = typer.Option(None, "--environment", help="Surroundings: people, noise, place."),
    before: str | None = typer.Option(None, "--before", help="What happened just before."),
    body: str | None = typer.Option(None, "--body", help="Body responses, e.g. racing heart."),
    emotion: str | None = typer.Option(None, "--emotion", help="The emotion felt."),
    intensity: int | None = typer.Option(None, "--intensity", help="Intensity of the emotion, 1-10."),
    duration: float | None = typer.Option(None, "--duration", help="How long it lasted, in minutes."),
    behaviour: str | None = typer.Option(None, "--behaviour", help="What you did, including avoidance."),
    coping: str | None = typer.Option(None, "--coping", help="The coping strategy used."),
    coping_rating: int | None = typer.Option(None, "--coping-rating", help="How well it worked, 1-5."),
    at: str | None = AtOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Log an episode."""
    stored = episodes.add_episode(
        open_ctx(),
        Actor.system(),
        client,
        at=parse_at(at),
        intensity=intensity,
        duration_minutes=duration,
        coping_rating=coping_rating,
        situation=situation,
        environment=environment,
        preceding_event=before,
        physiological=body,
        emotion=emotion,
        behaviour=behaviour,
        coping_strategy=coping,
    )
    if as_json:
        print_json(_plain(stored))
        return
    out.print(f"{stored.id}\t{stored.local_on.isoformat()}")
    err.print(f"[green]Logged[/] episode {stored.id}.")


@episode_app.command("list")
def episode_list(
    client: int = ClientOpt, start: str | None = FromOpt, end: str | None = ToOpt, as_json: bool = JsonOpt
) -> None:
    """List the client's episodes."""
    found = episodes.list_episodes(
        open_ctx(), Actor.system(), client, start=parse_day(start, "--from"), end=parse_day(end, "--to")
    )
    if as_json:
        print_json([_plain(e) for e in found])
        return
    table = Table("id", "day", "emotion", "intensity", "minutes", "situation", "coping", "helped 1-5")
    for e in found:
        table.add_row(
            str(e.id),
            e.local_on.isoformat(),
            _t(e.emotion),
            str(e.intensity or ""),
            f"{e.duration_minutes:g}" if e.duration_minutes is not None else "",
            _t(e.situation),
            _t(e.coping_strategy),
            str(e.coping_rating or ""),
        )
    out.print(table)


@abc_app.command("add")
def abc_add(
    client: int = ClientOpt,
    antecedent: str = typer.Option(..., "--antecedent", "-a", help="What came before."),
    behaviour: str = typer.Option(..., "--behaviour", "-b", help="What was done."),
    consequence: str = typer.Option(..., "--consequence", "-c", help="What followed."),
    setting: str | None = typer.Option(None, "--setting", help="Where, with whom."),
    intensity: int | None = typer.Option(None, "--intensity", help="Intensity 1-10."),
    duration: float | None = typer.Option(None, "--duration", help="Minutes."),
    at: str | None = AtOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Add an ABC entry (antecedent, behaviour, consequence)."""
    stored = abc.add_entry(
        open_ctx(),
        Actor.system(),
        client,
        antecedent=antecedent,
        behaviour=behaviour,
        consequence=consequence,
        setting=setting,
        at=parse_at(at),
        intensity=intensity,
        duration_minutes=duration,
    )
    if as_json:
        print_json(_plain(stored))
        return
    out.print(_abc_line(stored), soft_wrap=True)
    err.print(f"[green]Added[/] ABC entry {stored.id}.")


def _abc_line(e: abc.AbcEntry) -> Text:
    """What was stored, on one line: id, day, A -> B -> C, then the optional details given."""
    parts = [str(e.id), e.local_on.isoformat(), f"{e.antecedent} -> {e.behaviour} -> {e.consequence}"]
    if e.setting:
        parts.append(f"setting: {e.setting}")
    if e.intensity is not None:
        parts.append(f"intensity {e.intensity}")
    if e.duration_minutes is not None:
        parts.append(f"{e.duration_minutes:g} min")
    return Text("\t".join(parts))


@abc_app.command("summary")
def abc_summary(
    client: int = ClientOpt, start: str | None = FromOpt, end: str | None = ToOpt, as_json: bool = JsonOpt
) -> None:
    """Most frequent antecedents and consequences per behaviour, and the time of day."""
    result = abc.summary(
        open_ctx(), Actor.system(), client, start=parse_day(start, "--from"), end=parse_day(end, "--to")
    )
    if as_json:
        print_json(
            {
                "entries": result.entries,
                "behaviours": [asdict(b) for b in result.behaviours],
                "by_hour": list(result.by_hour),
                "by_band": dict(result.by_band),
            }
        )
        return
    if not result.entries:
        err.print("No ABC entries yet. Add one with `goalwise abc add`.")
        return
    table = Table("behaviour", "n", "most frequent antecedents", "most frequent consequences")
    for b in result.behaviours:
        table.add_row(
            _t(b.behaviour),
            str(b.count),
            _t("; ".join(f"{f.text} ({f.count})" for f in b.antecedents)),
            _t("; ".join(f"{f.text} ({f.count})" for f in b.consequences)),
        )
    out.print(table)
    out.print("Time of day: " + ", ".join(f"{name} {n}" for name, n in result.by_band))


def _split_tags(
    tags: list[str], triggers: list[str], coping: list[str]
) -> tuple[list[str], list[str], list[str]]:
    """``--tag trigger:crowds`` and ``--tag coping:walk`` land in their lists; other tags stay tags."""
    other: list[str] = []
    for tag in tags:
        kind, sep, text = tag.partition(":")
        if sep and kind.strip().lower() in ("trigger", "coping"):
            (triggers if kind.strip().lower() == "trigger" else coping).append(text.strip())
        else:
            other.append(tag)
    return triggers, coping, other


@journal_app.command("add")
def journal_add(
    text: str = typer.Argument(..., help="The entry."),
    client: int = ClientOpt,
    tag: list[str] = typer.Option([], "--tag", help="A tag; trigger:X and coping:X are sorted (repeatable)."),
    trigger: list[str] = typer.Option([], "--trigger", help="A trigger it mentions (repeatable)."),
    coping: list[str] = typer.Option([], "--coping", help="A coping strategy it mentions (repeatable)."),
    share: bool = typer.Option(False, "--share", help="Show the entry to the therapist (private otherwise)."),
    at: str | None = AtOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Write a journal entry."""
    triggers, copes, others = _split_tags(tag, list(trigger), list(coping))
    stored = journal.add_entry(
        open_ctx(),
        Actor.system(),
        client,
        text,
        triggers=triggers,
        coping=copes,
        tags=others,
        private=not share,
        at=parse_at(at),
    )
    if as_json:
        print_json(_plain(stored))
        return
    out.print(f"{stored.id}\t{stored.local_on.isoformat()}\t{'private' if stored.private else 'shared'}")


@journal_app.command("list")
def journal_list(
    client: int = ClientOpt, start: str | None = FromOpt, end: str | None = ToOpt, as_json: bool = JsonOpt
) -> None:
    """List journal entries."""
    found = journal.list_entries(
        open_ctx(), Actor.system(), client, start=parse_day(start, "--from"), end=parse_day(end, "--to")
    )
    if as_json:
        print_json([_plain(e) for e in found])
        return
    for e in found:
        tags = ", ".join([*(f"trigger:{t}" for t in e.triggers), *(f"coping:{c}" for c in e.coping), *e.tags])
        out.print(
            f"{e.id}\t{e.local_on.isoformat()}\t{'private' if e.private else 'shared'}\t{tags}", markup=False
        )
        out.print(e.body, markup=False)


def register(app: typer.Typer) -> None:
    """Add ``episode``, ``abc`` and ``journal``."""
    app.add_typer(episode_app, name="episode", help="Log and list episodes (the trigger log).")
    app.add_typer(abc_app, name="abc", help="ABC chart: add entries and summarise them.")
    app.add_typer(journal_app, name="journal", help="The client's journal (private by default).")
