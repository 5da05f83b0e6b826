import sys

from storybrief.cli import main

# Guarded: worker processes (``scale.pool``) import the main module of the process they serve.
if __name__ == "__main__":
    sys.exit(main())
