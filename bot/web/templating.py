"""The Jinja2 environment for server-rendered pages."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATE_DIR))


def warm_templates(*more: Jinja2Templates) -> int:
    """Compile every page template now (at startup), so no request pays for it on the loop;
    return how many were compiled."""
    count = 0
    for env in (templates.env, *(t.env for t in more)):
        # The admin pages use filters only the admin's environment registers: each
        # environment compiles the pages it serves (the plain one: those outside admin/).
        own = [n for n in env.list_templates(extensions=["html"]) if env is not templates.env or "/" not in n]
        for name in own:
            env.get_template(name)
            count += 1
    return count
