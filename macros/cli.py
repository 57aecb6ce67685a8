"""``python -m macros``: check the evidence base, diff it against a git ref, bundle the site."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros", description=__doc__)
    parser.add_argument("--root", default=".", help="project root (default: the working directory)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate data/, references.bib and citations in docs/")
    p_check.add_argument("--strict", action="store_true", help="warnings fail too")
    p_diff = sub.add_parser("diff", help="Markdown report of what the working tree changes against a git ref")
    p_diff.add_argument("ref")
    p_bundle = sub.add_parser("bundle", help="zip the built site into dist/ and copy it under site/downloads/")
    p_bundle.add_argument("--site", default="site")
    p_bundle.add_argument("--dist", default="dist")
    sub.add_parser("schema", help="print the JSON Schema of every record kind")
    args = parser.parse_args(argv)
    root = Path(args.root)

    if args.command == "check":
        from .checks import check
        from .evidence import load

        report = check(load(root))
        for f in report.findings:
            print(f.format())
        print(report.summary())
        return 0 if report.ok(args.strict) else 1
    if args.command == "diff":
        from .diff import diff_report

        print(diff_report(root, args.ref), end="")
        return 0
    if args.command == "bundle":
        from .bundle import BundleError, bundle

        try:
            zpath = bundle(root / args.site, root / args.dist)
        except BundleError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(zpath)
        return 0
    if args.command == "schema":
        import json

        from .schema import json_schema

        print(json.dumps(json_schema(), indent=2, sort_keys=True))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
