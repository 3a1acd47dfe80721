"""The explicit feature list: routing table, command order, no import cycle, typed protocol."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping

import pytest

from bot.config import Settings
from bot.dialog import Dialog, TextHandler
from bot.features import TEXT_ROUTES, Feature, all_features, build_dialog
from bot.features.base import Feature as BaseFeature
from bot.store import Store


def test_free_text_is_routed_in_table_order(dialog: Dialog) -> None:
    assert [route.name for route in dialog._routes] == [route.name for route in TEXT_ROUTES]
    assert [route.name for route in dialog._routes if route.hears_group_chatter] == ["scam"]


def test_commands_follow_the_feature_order(dialog: Dialog) -> None:
    first_names = [cmd.names[0] for cmd in dialog.commands]
    assert first_names == ["start", "help", "dangky", "stop", "xoadulieu", "diemkham", "hoi", "xacthuc", "kiemtra", "baove"]


def test_a_handler_missing_from_the_table_is_refused(store: Store, settings: Settings) -> None:
    class Stray(BaseFeature):
        name = "stray"

        def text_handlers(self) -> Mapping[str, TextHandler]:
            return {"stray": lambda turn: None}

    with pytest.raises(ValueError, match="stray"):
        build_dialog(store, settings, features=[*all_features(), Stray()])


def test_each_build_gets_its_own_feature_state() -> None:
    from bot.features.scam import Scam

    one, two = (next(f for f in all_features() if isinstance(f, Scam)) for _ in range(2))
    assert one.state is not two.state


def test_features_have_distinct_names() -> None:
    features: list[Feature] = all_features()
    names = [f.name for f in features]
    assert len(names) == len(set(names)) and names[0] == "subscriptions"


def test_dialog_does_not_import_the_features() -> None:
    """The conversation core knows no feature (the old dialog <-> subscriptions cycle is gone)."""
    code = "import sys, bot.dialog; print(sorted(m for m in sys.modules if m.startswith('bot.features')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"



def test_every_feature_module_is_in_the_list() -> None:
    """A feature module left out of ``all_features()`` would silently lose its CLI and routes."""
    from pathlib import Path

    import bot.features

    modules = {p.stem for p in Path(bot.features.__file__).parent.glob("*.py")} - {"__init__", "base"}
    listed = {type(f).__module__.rsplit(".", 1)[1] for f in all_features()}
    assert listed == modules


def test_ops_starts_after_the_scheduler() -> None:
    """The backup check goes on the scheduler the broadcast feature's start creates."""
    names = [f.name for f in all_features()]
    assert names.index("ops") > names.index("broadcast") and "reach" in names
