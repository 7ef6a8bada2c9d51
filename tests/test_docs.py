"""README keeps up with the product: every page and every command is shown there."""

from __future__ import annotations

import re

from integra.config import PROJECT_DIR

README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_with_help_and_an_example():
    """From the real parser (grepping cli.py missed the two commands added in a loop)."""
    from integra import cli

    cli.build_parser()
    assert {"init", "import-partners", "undo-import", "export-partners", "backup", "restore"} <= set(cli.COMMANDS)
    for command, (help_text, example) in cli.COMMANDS.items():
        assert help_text and example.startswith(f"python -m integra {command}"), command
        assert f"python -m integra {command}" in README, command


def test_every_page_is_documented():
    app = (PROJECT_DIR / "app.py").read_text(encoding="utf-8")
    for path in re.findall(r'url_path="([a-z]+)"', app):
        assert f"`/{path}`" in README, path


def test_the_two_commands_and_ci_agree():
    assert "make run" in README and "make test" in README
    assert (PROJECT_DIR / ".ci" / "run").read_text().strip().endswith("make test")


def test_every_benchmark_is_documented():
    assert "make bench" in README
    for script in (PROJECT_DIR / "benchmarks").glob("*.py"):
        if not script.name.startswith("_") and script.stem != "common":
            assert f"benchmarks.{script.stem}" in README, script.name


def test_every_module_is_in_the_layout():
    """The README's „Aufbau“ names every module of the package (eight were missing once)."""
    layout = README[README.index("## Aufbau") : README.index("## Performance")]
    for module in (PROJECT_DIR / "integra").rglob("*.py"):
        if not module.name.startswith("__") and "migrations" not in module.parts:
            assert re.search(rf"\b{module.name}\b", layout), module.name
