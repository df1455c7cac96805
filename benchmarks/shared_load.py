"""Many people saving at once on one shared PostgreSQL database.

Run: RRN_TEST_POSTGRES=postgresql://ADMIN:PASSWORD@127.0.0.1/postgres \\
     uv run python benchmarks/shared_load.py [--users 20] [--services 50] [--years 5] \\
     [--seconds 120]

The address is of a role that may create a database (`.ci/run` makes one on this machine). A
large fictional organisation is built in a data folder (`demo --services`), copied into a new
shared database (`shared load`), and then each simulated user, on a connection of their own,
saves an edit to one of their services' plan actions every second: they read the action as a
screen would, change its description, and save it with the version they read (the save a
second person would be refused). At the end every action is read back: an edit whose saved
text is not there is a lost edit. Printed: the median and 95th percentile save time, saves,
refusals (someone else saved first: none are expected, each user has services of their own),
lost edits and errors. The database is dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from rrn_desktop.core import plan
from rrn_desktop.demo.large import load_large_demo
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.errors import ChangedElsewhereError
from rrn_desktop.storage.shared import open_shared_database, setup_shared_database
from rrn_desktop.storage.transfer import load_folder

SERVER_VARIABLE = "RRN_TEST_POSTGRES"


@dataclass
class User:
    number: int
    actions: list[int]
    save_seconds: list[float] = field(default_factory=list)
    last_saved: dict[int, str] = field(default_factory=dict)
    refused: int = 0
    errors: list[str] = field(default_factory=list)


def _work(user: User, address: str, folder: Path, until: float, start: threading.Barrier) -> None:
    db = open_shared_database(address, folder / f"user-{user.number}")
    try:
        start.wait()
        tick = time.monotonic()
        count = 0
        while tick < until:
            action_id = user.actions[count % len(user.actions)]
            text = f"Edit {count} by simulated user {user.number} <ŵ & 🙂>"
            try:
                seen = plan.get_action(db, action_id)
                began = time.perf_counter()
                plan.update_action(db, action_id, opened=seen.row_version, description=text)
                user.save_seconds.append(time.perf_counter() - began)
                user.last_saved[action_id] = text
            except ChangedElsewhereError:
                user.refused += 1
            except Exception as error:  # counted and reported: the figure is "0 errors"
                user.errors.append(f"{type(error).__name__}: {error}")
            count += 1
            tick += 1.0  # one edit a second, whatever the last one took
            time.sleep(max(0.0, tick - time.monotonic()))
    finally:
        db.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    admin = os.environ.get(SERVER_VARIABLE)
    if not admin:
        print(f"Set {SERVER_VARIABLE} to a PostgreSQL role that may create databases.")
        return 2
    name = f"rrn_load_{os.getpid()}"
    server = create_engine(make_url(admin), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    address = make_url(admin).set(database=name).render_as_string(hide_password=False)
    try:
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary)
            built = time.perf_counter()
            with open_database(folder / "data") as db:
                made = load_large_demo(db, args.services, args.years)
            setup_shared_database(address)
            copied = load_folder(folder / "data", address)
            print(
                f"Built {made.services} services x {made.years} years ({made.actions} actions, "
                f"{made.incidents} incidents) and copied {copied.summary} into PostgreSQL "
                f"in {time.perf_counter() - built:.0f} s."
            )
            with open_shared_database(address, folder / "reader") as db:
                by_service: dict[int, list[int]] = {}
                for action in plan.list_action_summaries(db):
                    if action.service is not None:
                        by_service.setdefault(action.service.id, []).append(action.id)
            services = sorted(by_service)
            users = [
                User(n, [a for s in services[n :: args.users] for a in by_service[s]])
                for n in range(args.users)
            ]
            start = threading.Barrier(args.users)
            until = time.monotonic() + args.seconds + 5  # the barrier's few seconds included
            threads = [
                threading.Thread(target=_work, args=(u, address, folder, until, start))
                for u in users
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            with open_shared_database(address, folder / "reader") as db:
                lost = sum(
                    1
                    for user in users
                    for action_id, text in user.last_saved.items()
                    if plan.get_action(db, action_id).description != text
                )
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        server.dispose()
    times = [t for user in users for t in user.save_seconds]
    errors = [e for user in users for e in user.errors]
    print(f"{args.users} simulated users, one edit a second each, for {args.seconds:.0f} s:")
    print(f"  saves: {len(times)}")
    if times:
        print(f"  median save time: {statistics.median(times) * 1000:.1f} ms")
        print(f"  95th percentile save time: {_percentile(times, 0.95) * 1000:.1f} ms")
    print(f"  refused (someone else saved first): {sum(u.refused for u in users)}")
    print(f"  lost edits: {lost}")
    print(f"  errors: {len(errors)}")
    for error in errors[:5]:
        print(f"    {error}")
    return 0 if not errors and not lost else 1


if __name__ == "__main__":
    sys.exit(main())
