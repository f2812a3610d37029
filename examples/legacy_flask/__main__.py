"""`python -m examples.legacy_flask seed|serve`: create demo data, run the legacy app."""

from __future__ import annotations

import argparse

from examples.legacy_flask.app import create_app
from examples.legacy_flask.seed import DEMO_PASSWORD, seed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m examples.legacy_flask")
    commands = parser.add_subparsers(dest="command", required=True)
    seed_cmd = commands.add_parser("seed", help="add demo users, résumés and optimizations")
    seed_cmd.add_argument("--db", required=True, help="SQLite file (created when missing)")
    seed_cmd.add_argument("--users", type=int, default=10)
    seed_cmd.add_argument("--resumes-per-user", type=int, default=2)
    seed_cmd.add_argument("--optimizations-per-resume", type=int, default=1)
    serve_cmd = commands.add_parser("serve", help="serve the legacy API")
    serve_cmd.add_argument("--db", required=True)
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    if args.command == "seed":
        summary = seed(args.db, args.users, args.resumes_per_user, args.optimizations_per_resume)
        print(
            f"seeded {summary.users} users, {summary.resumes} résumés, "
            f"{summary.optimizations} optimizations (password: {DEMO_PASSWORD!r})"
        )
    else:
        create_app(args.db).run(host=args.host, port=args.port, threaded=True)


if __name__ == "__main__":
    main()
