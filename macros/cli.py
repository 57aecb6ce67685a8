"""``python -m macros``: check the evidence base, diff it against a git ref, bundle the site,
start new records, draft a trial from a registry file."""
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
    p_diff = sub.add_parser("diff", help="Markdown report (for a pull request) of what the working tree, or B in A...B, "
                                         "changes against the merge-base")
    p_diff.add_argument("base", nargs="?", default=None,
                        help="BASE (default origin/main, else main): the working tree against merge-base(BASE, HEAD); "
                             "or A...B: commit B against merge-base(A, B)")
    p_diff.add_argument("--fail-on-errors", action="store_true", help="exit 1 when the head side has check errors")
    p_diff.add_argument("--no-pages", action="store_true", help="do not build both sides to list the pages affected")
    p_bundle = sub.add_parser("bundle", help="zip the built site into dist/ and copy it under site/downloads/")
    p_bundle.add_argument("--site", default="site")
    p_bundle.add_argument("--dist", default="dist")
    p_schema = sub.add_parser("schema", help="print the JSON Schema of every record kind")
    p_schema.add_argument("--write", action="store_true",
                          help="write one file per kind into schemas/ instead (what editors and the site use)")
    p_new = sub.add_parser("new", help="write a new record file with every field of its kind, to fill in")
    p_new.add_argument("kind", help="mechanism, agent, trial or patent")
    p_new.add_argument("id", help="the new record's id (its file name)")
    p_import = sub.add_parser("import-trial", help="draft data/trials/<NCT id>.yaml from a ClinicalTrials.gov "
                              "study saved as JSON (API v2)")
    p_import.add_argument("file", help="the saved study, e.g. NCT01234567.json")
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
        from .git_sides import GitSideError

        try:
            result = diff_report(root, args.base, pages=not args.no_pages)
        except GitSideError as exc:
            print(f"python -m macros diff: {exc}", file=sys.stderr)
            return 2
        print(result.markdown, end="")
        return 1 if args.fail_on_errors and result.head_errors else 0
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

        from .schema import json_schema, write_schemas

        if args.write:
            for path in write_schemas(root):
                print(path.relative_to(root).as_posix())
            return 0
        print(json.dumps(json_schema(), indent=2, sort_keys=True))
        return 0
    if args.command == "new":
        from .record_skeleton import NewRecordError, new_record

        try:
            path = new_record(root, args.kind, args.id)
        except NewRecordError as exc:
            print(f"new: {exc}", file=sys.stderr)
            return 1
        print(f"{path.relative_to(root).as_posix()}: fill in the empty values; `python -m macros check` lists them")
        return 0
    if args.command == "import-trial":
        from .registry_import import ImportError_, import_trial

        try:
            path = import_trial(root, Path(args.file))
        except ImportError_ as exc:
            print(f"import-trial: {exc}", file=sys.stderr)
            return 1
        print(f"{path.relative_to(root).as_posix()}: complete the TODOs and refs; `python -m macros check` lists "
              "what is missing")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
