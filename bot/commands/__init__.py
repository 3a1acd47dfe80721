"""CLI command groups (Typer sub-apps), one module per feature; ``bot/cli.py`` mounts them."""
