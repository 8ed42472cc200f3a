"""`digest --help` and each command's help: nothing cut short, every option explained."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from digest.cli import cli

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("width", [80, 60, 200])
def test_command_descriptions_are_whole_in_the_overview(width: int) -> None:
    result = CliRunner().invoke(cli, ["--help"], terminal_width=width)
    assert result.exit_code == 0
    commands = result.output.split("\nCommands:\n", 1)[1]
    assert "…" not in commands and "..." not in commands
    text = " ".join(commands.split())
    for name in COMMANDS:
        short = " ".join(cli.commands[name].get_short_help_str(limit=10_000).split())
        assert short.endswith(".") and short in text, (name, short)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_of_every_command_has_a_description(name: str) -> None:
    command = cli.commands[name]
    context = click.Context(command, info_name=name)
    for param in command.get_params(context):
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"digest {name} {param.opts[0]}: no help"
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and command.help


def test_the_overview_options_are_described_too() -> None:
    context = click.Context(cli, info_name="digest")
    assert all((p.help or "").strip() for p in cli.get_params(context) if isinstance(p, click.Option))
