"""``python -m tests.bench``: run the benchmark and print the report, then the load
benchmark (``tests.bench.load``) and the scale-out load run (``tests.bench.scale``: one
process against two sharing PostgreSQL); ``BENCH_LOAD=0`` skips both."""

import os

from . import load, scale
from .run import main

main()
if os.environ.get("BENCH_LOAD", "1") != "0":
    print()
    load.main()
    print()
    scale.main()
