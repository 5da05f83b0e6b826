import sys

from storybrief.cli import main

sys.exit(main())
