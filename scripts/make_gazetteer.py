"""Build index/data/divisions.tsv from the NBS 2023 division files.

Usage: python scripts/make_gazetteer.py [--source DIR] [--output FILE]

The builder is govsearch.gazetteer_build; this is its command line.
"""

from govsearch.gazetteer_build import main

if __name__ == "__main__":
    main()
