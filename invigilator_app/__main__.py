import sys

from invigilator_app.cli import main

sys.exit(main())
