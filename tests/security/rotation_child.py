"""``python -m tests.security.rotation_child STEP ARGS``: the command line (cheap key
derivation) that kills itself with SIGKILL when the key rotation reaches STEP."""

from __future__ import annotations

import os
import signal
import sys

from tests import kdf

if __name__ == "__main__":
    kdf.install()
    from invigilator_app.cli import main
    from invigilator_app.services import key_rotation

    step = sys.argv[1]

    def die(reached: str) -> None:
        if reached == step:
            os.kill(os.getpid(), signal.SIGKILL)

    key_rotation._reached = die
    sys.exit(main(sys.argv[2:]))
