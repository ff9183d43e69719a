"""``make fuzz``: many fuzz cases per operation, counted instead of stopping at the first.

Runs the positive and the negative property of ``tests/fuzz`` on every operation of
both curated documents and prints, per operation, the cases run and failed, and
the negative cases skipped (with the reasons summed per API), then the first
failures in full. Exit status 1 when any case failed.

    python -m tests.fuzz_report                    # 100 examples per operation and mode
    python -m tests.fuzz_report -n 20 --api intercom --only conversation --seed 7
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from tests.fuzz.runner import Tally, close_sessions, examples_from_env, run
from tests.fuzz.targets import APIS, targets


def _row(tally: Tally, width: int) -> str:
    skipped = sum(tally.skipped.values())
    pskipped = sum(tally.positive_skipped.values())
    return (
        f"{tally.target.split(':', 1)[1]:<{width}} {tally.label:<52} "
        f"{tally.positive:>5} {tally.positive_failed:>4} {pskipped:>5}   "
        f"{tally.negative:>5} {tally.negative_failed:>4} {skipped:>5}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz_report", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-n", "--examples", type=int, default=examples_from_env(100), help="cases per operation and mode"
    )
    parser.add_argument("--api", action="append", choices=list(APIS), help="only this API (repeatable)")
    parser.add_argument("--only", help="only operations whose tool name contains this text")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed (default 0)")
    parser.add_argument("--failures", type=int, default=10, help="failures to print in full (default 10)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    failures: list[str] = []
    grand = Counter[str]()
    for api in args.api or list(APIS):
        chosen = [t for t in targets(api) if not args.only or args.only in t.tool.name]
        if not chosen:
            continue
        width = max(len(t.tool.name) for t in chosen)
        print(f"\n{api}: {len(chosen)} operations, {args.examples} examples per operation and mode, seed {args.seed}")
        print(f"{'operation':<{width}} {'':<52} {'positive: run fail skip':>23}   {'negative: run fail skip':>23}")
        totals = Counter[str]()
        reasons = Counter[str]()
        api_started = time.monotonic()
        for target in chosen:
            tallies = [
                run(target, mode, args.examples, strict=False, seed=args.seed) for mode in ("positive", "negative")
            ]
            tally = tallies[0]
            neg = tallies[1]
            tally.negative, tally.negative_failed = neg.negative, neg.negative_failed
            tally.skipped = neg.skipped
            print(_row(tally, width), flush=True)
            totals.update(
                positive=tally.positive, positive_failed=tally.positive_failed,
                positive_skipped=sum(tally.positive_skipped.values()),
                negative=tally.negative, negative_failed=tally.negative_failed,
                negative_skipped=sum(tally.skipped.values()),
            )  # fmt: skip
            reasons.update({f"positive: {k}": v for k, v in tally.positive_skipped.items()})
            reasons.update({f"negative: {k}": v for k, v in neg.skipped.items()})
            failures += [f for t in tallies for f in t.failures]
        print(
            f"{api} total: positive {totals['positive']} run, {totals['positive_failed']} failed, "
            f"{totals['positive_skipped']} skipped; negative {totals['negative']} run, "
            f"{totals['negative_failed']} failed, {totals['negative_skipped']} skipped "
            f"({time.monotonic() - api_started:.1f} s)"
        )
        for reason, count in reasons.most_common():
            print(f"  skipped {count:>5}  {reason}")
        grand.update(totals)
    print(
        f"\nall: {grand['positive'] + grand['negative']} cases run, "
        f"{grand['positive_failed'] + grand['negative_failed']} failed, "
        f"{grand['positive_skipped'] + grand['negative_skipped']} skipped, in {time.monotonic() - started:.1f} s"
    )
    close_sessions()
    for failure in failures[: args.failures]:
        print("\nFAILED " + failure)
    if len(failures) > args.failures:
        print(f"\n... and {len(failures) - args.failures} more failure messages")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
