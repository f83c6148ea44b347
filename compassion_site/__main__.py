import sys

from compassion_site.cli import main

sys.exit(main())
