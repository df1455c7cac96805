import sys

from rrn_desktop.cli import main

sys.exit(main())
