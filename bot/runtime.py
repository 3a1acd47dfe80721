"""The running process's shared objects, owned by the web app's lifespan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.channels.base import Channel
from bot.config import Settings
from bot.demo import load_demo
from bot.dialog import Dialog
from bot.features import Feature, all_features, build_dialog
from bot.reference import ensure_reference_data
from bot.store import Store


@dataclass
class Runtime:
    """Settings, the store, the dialog, the features and the running channels of one Loa process."""

    settings: Settings
    store: Store
    dialog: Dialog
    features: list[Feature] = field(default_factory=list)
    channels: dict[str, Channel] = field(default_factory=dict)
    demo: bool = False


def open_runtime(settings: Settings, *, demo: bool = False, clock: Callable[[], datetime] | None = None) -> Runtime:
    """Open the store (migrating it), load reference (and demo) data, build the dialog."""
    store = Store.open(settings.db)
    ensure_reference_data(store, settings)
    features = all_features()
    if demo:
        load_demo(store, settings, features)
    dialog = build_dialog(store, settings, features=features, clock=clock)
    return Runtime(settings, store, dialog, features, demo=demo)
