"""The test suite's cheap key derivation, installed by patching the one function that sets
the cost (``security.keyslots.kdf_policy``); nothing a user can set lowers it in production.

``python -m tests.kdf ARGS`` runs the application's command line with the cheap cost, for
the tests that start the station in a child process."""

from __future__ import annotations

import sys

from invigilator_app.security import keyslots

REAL_POLICY = keyslots.kdf_policy


def cheap_policy() -> tuple[keyslots.KdfCost, keyslots.KdfCost]:
    return keyslots.TEST_COST, keyslots.TEST_COST


def install() -> None:
    keyslots.kdf_policy = cheap_policy


if __name__ == "__main__":
    install()
    from invigilator_app.cli import main

    sys.exit(main(sys.argv[1:]))
