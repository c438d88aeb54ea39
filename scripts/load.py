#!/usr/bin/env python
"""Load test: the production server under a bounded, mixed query load.

    python scripts/load.py --docs 10000 --duration 60 --out load.json

The load test is govsearch.bench.load; this is its command line.
"""

import sys

from govsearch.bench.load import main

if __name__ == "__main__":
    sys.exit(main())
