from pathlib import Path

from app.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_setting_is_documented_in_the_readme() -> None:
    undocumented = [name.upper() for name in Settings.model_fields if f"`{name.upper()}`" not in README]
    assert undocumented == []


def test_every_cli_command_is_documented_in_the_readme() -> None:
    import click

    from app.cli import main

    def names(group: click.Group, prefix: str = "sportello") -> list[str]:
        found = []
        for name, command in group.commands.items():
            full = f"{prefix} {name}"
            found.extend(names(command, full) if isinstance(command, click.Group) else [full])
        return found

    assert [name for name in names(main) if name not in README] == []
