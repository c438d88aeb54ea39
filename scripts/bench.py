#!/usr/bin/env python
"""Benchmark govsearch against two peers on one generated corpus, in one run.

    python scripts/bench.py --docs 500 --out results.json

The bench is the package govsearch.bench; this is its command line.
"""

import sys

from govsearch.bench.cli import main

if __name__ == "__main__":
    sys.exit(main())
