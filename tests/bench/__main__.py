"""``python -m tests.bench``: run the benchmark and print the report, what a model reads in
the seed workflows (``tests.bench.workflows``), then the load
benchmark (``tests.bench.load``) and the scale-out load run (``tests.bench.scale``: one
process against two sharing PostgreSQL); ``BENCH_LOAD=0`` skips both."""

import os

from . import load, scale, workflows
from .run import main

main()
print()
workflows.main()
if os.environ.get("BENCH_LOAD", "1") != "0":
    print()
    load.main()
    print()
    scale.main()
