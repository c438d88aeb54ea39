"""Write a deterministic synthetic corpus of 法治政府建设 report pages.

    python scripts/make_corpus.py N OUT [--seed S] [--html-share 0.8] [--force] [--jobs J]

The generator is the package govsearch.corpus; this is its command line.
"""

import sys

from govsearch.corpus.cli import main

if __name__ == "__main__":
    sys.exit(main())
