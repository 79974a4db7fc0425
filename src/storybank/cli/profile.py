"""`storybank profile …`: list, show, validate, create and choose rubric profiles."""

from __future__ import annotations

from typing import Optional

import typer

profile_app = typer.Typer(help="List, show, validate, create and choose rubric profiles.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `profile` command group."""
    app.add_typer(profile_app, name="profile")


@profile_app.command("list")
def list_profiles(as_json: bool = typer.Option(False, "--json", help="Print a JSON list.")) -> None:
    """List shipped profiles and your own, marking the active one."""
    from storybank.rubric.loader import SHIPPED_PROFILES, available_profiles
    from storybank.settings import Settings

    active = Settings.from_env().active_profile()
    names = available_profiles()
    if as_json:
        import json

        rows = [{"name": n, "active": n == active, "shipped": (SHIPPED_PROFILES / f"{n}.yaml").is_file()} for n in names]
        typer.echo(json.dumps(rows))
        return
    for name in names:
        typer.echo(f"{'*' if name == active else ' '} {name}")


@profile_app.command("show")
def show(name: str = typer.Argument(..., help="Profile name or YAML path."), as_json: bool = typer.Option(False, "--json")) -> None:
    """Show a profile after merging everything it extends."""
    from storybank.cli.common import fail
    from storybank.rubric.loader import ProfileError, load_profile

    try:
        profile = load_profile(name)
    except ProfileError as error:
        fail(str(error).replace("\n", "; "))
    if as_json:
        import json

        typer.echo(json.dumps(profile.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    import yaml

    summary = profile.model_dump(mode="json", exclude={"lexicons"})
    summary["lexicons"] = {key: f"{len(terms)} terms" for key, terms in profile.lexicons.items()}
    typer.echo(yaml.safe_dump(summary, sort_keys=False, allow_unicode=True))


@profile_app.command("rules")
def rules(name: Optional[str] = typer.Argument(None, help="Profile name or YAML path (default: the active one)."), as_json: bool = typer.Option(False, "--json")) -> None:
    """List the rules with the severity and state this profile gives them."""
    from storybank.cli.common import fail
    from storybank.rubric.loader import ProfileError, load_profile, load_rules
    from storybank.settings import Settings

    try:
        profile = load_profile(name or Settings.from_env().active_profile())
    except ProfileError as error:
        fail(str(error).replace("\n", "; "))
    rows = []
    for rule in sorted(load_rules().values(), key=lambda rule: (rule.signal, rule.id)):
        override = profile.rules.get(rule.id)
        severity = override.severity if override and override.severity else rule.severity
        enabled = override.enabled if override else True
        rows.append({"id": rule.id, "signal": rule.signal, "kind": rule.kind, "severity": severity, "enabled": enabled, "message": rule.message})
    if as_json:
        import json

        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        state = row["severity"] if row["enabled"] else "off"
        typer.echo(f"{row['id']:<28} {row['signal']:<18} {state:<8} {row['message']}")


@profile_app.command("validate")
def validate(path: str = typer.Argument(..., help="Profile YAML file to check.")) -> None:
    """Check a profile file; exit 2 naming the file and the field on error."""
    from storybank.cli.common import fail
    from storybank.rubric.loader import ProfileError, load_profile_file
    from pathlib import Path

    file = Path(path)
    if not file.is_file():
        fail(f"{path}: no such profile file")
    try:
        profile = load_profile_file(file)
    except ProfileError as error:
        fail(str(error).replace("\n", "; "))
    typer.echo(f"{path}: ok (profile {profile.name}, {len(profile.principles)} principles)")


@profile_app.command("init")
def init(
    new: str = typer.Argument(..., help="Name of the new profile."),
    base: str = typer.Option("binance", "--from", help="Profile to extend."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write an editable overlay profile into $STORYBANK_HOME/profiles/."""
    import re

    from storybank.cli.common import fail
    from storybank.rubric.loader import ProfileError, load_profile
    from storybank.settings import Settings

    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", new):
        fail(f"profile name {new!r}: use lowercase letters, digits, - and _")
    try:
        load_profile(base)
    except ProfileError as error:
        fail(str(error).replace("\n", "; "))
    target = Settings.from_env().profiles_dir / f"{new}.yaml"
    if target.exists() and not force:
        fail(f"{target.name} already exists in your profiles folder; use --force to overwrite")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_overlay_template(new, base), encoding="utf-8")
    typer.echo(str(target))


def _overlay_template(name: str, base: str) -> str:
    return f"""# Your own rubric profile. It extends {base!r}: only what you write here changes.
name: {name}
extends: {base}
description: My own profile based on {base}.
# Change a signal's weight (every signal keeps its label):
# signals:
#   dollar_value: {{weight: 2.5, label: Dollar value}}
# Switch a rule off or change its severity:
# rules:
#   no-dollar-value: {{enabled: false}}
#   hedging: {{severity: error}}
# Add terms to a lexicon without restating it:
# lexicon_additions:
#   kpi_terms: [basket size]
"""


@profile_app.command("use")
def use(name: Optional[str] = typer.Argument(..., help="Profile to make active for later commands.")) -> None:
    """Make a profile the default for later commands."""
    from storybank.cli.common import fail
    from storybank.errors import InvalidInput
    from storybank.service import activate_profile
    from storybank.settings import Settings

    try:
        chosen = activate_profile(Settings.from_env(), name)
    except InvalidInput as error:
        fail(str(error).replace("\n", "; "))
    typer.echo(f"active profile: {chosen}")
