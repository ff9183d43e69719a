"""``python -m tests.bench``: run the benchmark and print the report, then the load
benchmark (``tests.bench.load``; ``BENCH_LOAD=0`` skips it)."""

import os

from . import load
from .run import main

main()
if os.environ.get("BENCH_LOAD", "1") != "0":
    print()
    load.main()
