"""Where the station keeps its store: light enough to import before the unlock window."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "InvigilationStation"


def default_data_dir() -> Path:
    override = os.environ.get("INVIGILATOR_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))
