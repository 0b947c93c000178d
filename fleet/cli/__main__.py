import sys

from fleet.cli.entry import main

sys.exit(main())
