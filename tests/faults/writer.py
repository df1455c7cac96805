"""A stand-in for a person using the app, for the fault tests: it makes real edits through the
core API, one after another, until it is killed.

Run: python -m tests.faults.writer DATA_DIR SEED [--die-at-statement N]

Every line on stdout is one JSON object, flushed as soon as it is written:

* ``{"e": "ready"}`` once the data folder is open;
* ``{"e": "begin", "op": ..., "expect": [...]}`` just before an edit starts;
* ``{"e": "confirmed", "op": ..., "expect": [...]}`` once the core call has returned, that is
  once its transaction is committed and the app would have told the person it is saved.

``expect`` lists what must be in the data folder from then on (see ``tests.faults.killing``):
``{"cell": [table, {key: value}, column], "value": v}`` (that column of that row holds v until a
later confirmed edit changes it), ``{"row": [table, {column: value}]}`` (such a row exists) and
``{"file": [stored_name, sha256]}`` (an evidence copy is in the data folder, unchanged).

``--die-at-statement N`` kills the process itself (SIGKILL) just before the Nth SQL statement
any engine sends, counting from the start, so a test can stop start-up (migration) at an exact
point. ``--count-statements`` prints how many statements opening the data folder took.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

DAY = dt.date(2024, 5, 1)
DAY_AFTER = dt.date(2024, 5, 2)
OCCURRED = dt.datetime(2024, 5, 1, 10, 30)
NOW = dt.datetime(2024, 5, 3, 9, 0)
SERVICE_NAME = "Kill-test home"
KINDS = ["physical-standing-hold"]
RESTRICTION_FIELDS = ["description", "rationale", "risk", "alternatives", "reduction_plan"]


def _say(event: str, **fields: Any) -> None:
    sys.stdout.write(json.dumps({"e": event, **fields}) + "\n")
    sys.stdout.flush()


def _cell(table: str, key: dict[str, Any], column: str, value: Any) -> dict[str, Any]:
    return {"cell": [table, key, column], "value": value}


def _row(table: str, **columns: Any) -> dict[str, Any]:
    return {"row": [table, columns]}


def _count_statements(die_at: int | None) -> Callable[[], int]:
    from sqlalchemy import Engine, event

    seen = 0

    def before(*_args: object) -> None:
        nonlocal seen
        seen += 1
        if die_at is not None and seen >= die_at:
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "before_cursor_execute", before)
    return lambda: seen


class Writer:
    """Keeps what it has made so far, and picks the next edit at random."""

    def __init__(self, data_dir: Path, seed: int) -> None:
        from rrn_desktop.storage.database import open_database

        self.random = random.Random(seed)
        self.seed = seed
        self.count = 0
        self.db = open_database(data_dir)
        self.sources = Path(tempfile.mkdtemp(prefix="kill-writer-"))
        self._load()

    # -- what is there already -----------------------------------------------------------------

    def _load(self) -> None:
        from sqlalchemy import select

        from rrn_desktop.base.pack_ids import TRAINING_STANDARDS_PACK_ID
        from rrn_desktop.base.vocabulary import Purpose, Sector
        from rrn_desktop.content.loader import shipped_pack
        from rrn_desktop.core import benchmarks, services
        from rrn_desktop.storage import models as m

        with self.db.transaction() as session:
            service = session.scalars(select(m.Service).order_by(m.Service.id)).first()
            self.service_id = service.id if service else None
            self.live = list(
                session.scalars(select(m.Restriction.id).where(m.Restriction.deleted_at.is_(None)))
            )
            self.deleted = list(
                session.scalars(
                    select(m.Restriction.id).where(m.Restriction.deleted_at.is_not(None))
                )
            )
            self.actions = list(session.scalars(select(m.Action.id)))
            self.incidents = list(session.scalars(select(m.Incident.id)))
            self.reviewed = list(session.scalars(select(m.LearningReview.incident_id)))
            benchmark = session.scalars(select(m.Benchmark.id).order_by(m.Benchmark.id)).first()
        if self.service_id is None:
            self._edit(
                "create-service",
                lambda: services.create_service(self.db, SERVICE_NAME, Sector.ADULT_SOCIAL_CARE).id,
                lambda sid: [_cell("service", {"id": sid}, "name", SERVICE_NAME)],
            )
            with self.db.transaction() as session:
                self.service_id = session.scalars(select(m.Service.id)).one()
        if benchmark is None:
            benchmark = self._edit(
                "start-benchmark",
                lambda: (
                    benchmarks.start_benchmark(
                        self.db,
                        self.service_id,
                        DAY,
                        Purpose(next(iter(Purpose))),
                        [benchmarks.ParticipantInfo("Pat Example", "Trainer")],
                    ).id
                ),
                lambda bid: [_row("participant", benchmark_id=bid, name="Pat Example")],
            )
        self.benchmark_id = benchmark
        pack = shipped_pack(TRAINING_STANDARDS_PACK_ID)
        self.item_codes = [item.code for _section, item in pack.items()][:12]
        with self.db.transaction() as session:
            self.organisation_id = services.the_organisation(session).id

    # -- one edit --------------------------------------------------------------------------------

    def _edit(
        self,
        op: str,
        call: Callable[[], Any],
        expect: Callable[[Any], list[dict[str, Any]]],
        before: list[dict[str, Any]] | None = None,
    ) -> Any:
        """Say what is about to change, change it, then say it is saved: the line after the
        call returns is the confirmation the person would see."""
        _say("begin", op=op, expect=before or [])
        result = call()
        _say("confirmed", op=op, expect=expect(result))
        return result

    def tag(self) -> str:
        self.count += 1
        return f"{self.seed}-{self.count}"

    def step(self) -> None:
        choices: list[tuple[int, Callable[[], None]]] = [
            (3, self.add_restriction),
            (4, self.update_restriction),
            (2, self.review_restriction),
            (1, self.delete_restriction),
            (1, self.restore_restriction),
            (3, self.add_action),
            (3, self.update_action),
            (3, self.add_note),
            (1, self.attach_evidence),
            (2, self.record_incident),
            (2, self.update_incident),
            (2, self.person_support),
            (2, self.review_incident),
            (2, self.learning_point),
            (2, self.benchmark_notes),
            (1, self.rename_organisation),
            (1, self.staff_pledge),
        ]
        weights = [weight for weight, _ in choices]
        self.random.choices([do for _, do in choices], weights)[0]()

    # -- the blanket restrictions register ------------------------------------------------------

    def add_restriction(self) -> None:
        from rrn_desktop.base.vocabulary import RestraintType
        from rrn_desktop.core import restrictions

        title = f"Restriction {self.tag()}"
        kind = self.random.choice(list(RestraintType))
        new_id = self._edit(
            "add-restriction",
            lambda: restrictions.add_custom_restriction(
                self.db, self.service_id, title, restrictions.OTHER_CATEGORY, kind, DAY
            ),
            lambda rid: [
                _cell("restriction", {"id": rid}, "title", title),
                _row("restriction_status_change", restriction_id=rid),
            ],
        )
        self.live.append(new_id)

    def update_restriction(self) -> None:
        from rrn_desktop.core import restrictions

        if not self.live:
            return self.add_restriction()
        rid = self.random.choice(self.live)
        field = self.random.choice(RESTRICTION_FIELDS)
        value = f"{field} {self.tag()} ŵ 🙂\nsecond line"
        expect = [_cell("restriction", {"id": rid}, field, value)]
        self._edit(
            "update-restriction",
            lambda: restrictions.update_restriction(self.db, rid, **{field: value}),
            lambda _info: expect,
            expect,
        )
        return None

    def review_restriction(self) -> None:
        from rrn_desktop.core import restrictions

        if not self.live:
            return self.add_restriction()
        rid = self.random.choice(self.live)
        notes = f"Reviewed {self.tag()}"
        self._edit(
            "review-restriction",
            lambda: restrictions.record_review(self.db, rid, DAY_AFTER, "Sam Reviewer", notes),
            lambda _info: [_row("restriction_review", restriction_id=rid, notes=notes)],
        )
        return None

    def delete_restriction(self) -> None:
        from rrn_desktop.core import restrictions

        if len(self.live) < 4:
            return self.add_restriction()
        rid = self.random.choice(self.live)
        expect = [_cell("restriction", {"id": rid}, "deleted_at IS NOT NULL", 1)]
        self._edit(
            "delete-restriction",
            lambda: restrictions.delete_restriction(self.db, rid),
            lambda _none: expect,
            expect,
        )
        self.live.remove(rid)
        self.deleted.append(rid)
        return None

    def restore_restriction(self) -> None:
        from rrn_desktop.core import restrictions

        if not self.deleted:
            return self.delete_restriction()
        rid = self.random.choice(self.deleted)
        expect = [_cell("restriction", {"id": rid}, "deleted_at IS NOT NULL", 0)]
        self._edit(
            "restore-restriction",
            lambda: restrictions.restore_restriction(self.db, rid),
            lambda _none: expect,
            expect,
        )
        self.deleted.remove(rid)
        self.live.append(rid)
        return None

    # -- the plan --------------------------------------------------------------------------------

    def add_action(self) -> None:
        from rrn_desktop.base.vocabulary import Strategy
        from rrn_desktop.core import plan

        title = f"Action {self.tag()}"
        strategy = self.random.choice(list(Strategy))
        info = self._edit(
            "add-action",
            lambda: plan.create_action(
                self.db, title, strategy, DAY, service_id=self.service_id, owner_name="Alex"
            ),
            lambda action: [
                _cell("action", {"id": action.id}, "title", title),
                _cell("action", {"id": action.id}, "owner_name", "Alex"),
                _row("action_status_change", action_id=action.id),
            ],
        )
        self.actions.append(info.id)

    def update_action(self) -> None:
        from rrn_desktop.core import plan

        if not self.actions:
            return self.add_action()
        aid = self.random.choice(self.actions)
        value = f"Description {self.tag()} <b>&amp;</b>"
        expect = [_cell("action", {"id": aid}, "description", value)]
        self._edit(
            "update-action",
            lambda: plan.update_action(self.db, aid, description=value),
            lambda _info: expect,
            expect,
        )
        return None

    def add_note(self) -> None:
        from rrn_desktop.core import plan

        if not self.actions:
            return self.add_action()
        aid = self.random.choice(self.actions)
        text = f"Note {self.tag()}"
        self._edit(
            "add-note",
            lambda: plan.add_note(self.db, aid, DAY_AFTER, text),
            lambda _info: [_row("action_note", action_id=aid, text=text)],
        )
        return None

    def attach_evidence(self) -> None:
        from rrn_desktop.core import plan

        if not self.actions:
            return self.add_action()
        aid = self.random.choice(self.actions)
        source = self.sources / f"evidence-{self.tag()}.txt"
        source.write_bytes(self.random.randbytes(self.random.randint(1, 64 * 1024)))
        digest = hashlib.sha256(source.read_bytes()).hexdigest()

        def expect(info: Any) -> list[dict[str, Any]]:
            stored = next(e for e in info.evidence_files if e.sha256 == digest)
            name = stored.stored_path.name
            return [
                _row("action_evidence_file", action_id=aid, stored_name=name, sha256=digest),
                {"file": [name, digest]},
            ]

        self._edit(
            "attach-evidence", lambda: plan.attach_action_evidence(self.db, aid, source), expect
        )
        source.unlink()
        return None

    def staff_pledge(self) -> None:
        from rrn_desktop.core import plan

        commitment = f"I will ask first {self.tag()}"
        self._edit(
            "staff-pledge",
            lambda: plan.add_staff_pledge(self.db, "Jo Carer", commitment, DAY),
            lambda info: [_cell("staff_pledge", {"id": info.id}, "commitment", commitment)],
        )

    # -- incidents -------------------------------------------------------------------------------

    def record_incident(self) -> None:
        from rrn_desktop.core import incidents

        reference = f"K-{self.tag()}"
        info = self._edit(
            "record-incident",
            lambda: incidents.record_incident(
                self.db, self.service_id, reference, OCCURRED, KINDS, now=NOW, place="Lounge"
            ),
            lambda incident: [
                _cell("incident", {"id": incident.id}, "reference", reference),
                _row("incident_intervention", incident_id=incident.id, kind_code=KINDS[0]),
            ],
        )
        self.incidents.append(info.id)

    def update_incident(self) -> None:
        from rrn_desktop.core import incidents

        if not self.incidents:
            return self.record_incident()
        iid = self.random.choice(self.incidents)
        reason = f"Reason {self.tag()}"
        expect = [_cell("incident", {"id": iid}, "reason", reason)]
        self._edit(
            "update-incident",
            lambda: incidents.update_incident(self.db, iid, now=NOW, reason=reason),
            lambda _info: expect,
            expect,
        )
        return None

    def person_support(self) -> None:
        from rrn_desktop.core import incidents

        if not self.incidents:
            return self.record_incident()
        iid = self.random.choice(self.incidents)
        words = f"Talked with pictures {self.tag()}"
        expect = [_cell("person_support", {"incident_id": iid}, "communication", words)]
        self._edit(
            "person-support",
            lambda: incidents.save_person_support(self.db, iid, DAY_AFTER, communication=words),
            lambda _info: expect,
            expect,
        )
        return None

    def review_incident(self) -> None:
        from rrn_desktop.core import incidents

        if not self.incidents:
            return self.record_incident()
        iid = self.random.choice(self.incidents)
        helped = f"What helped {self.tag()}"
        expect = [_cell("learning_review", {"incident_id": iid}, "what_helped", helped)]
        self._edit(
            "review-incident",
            lambda: incidents.save_review(
                self.db,
                iid,
                DAY_AFTER,
                "Lee Lead",
                lead_not_involved=True,
                today=NOW.date(),
                what_helped=helped,
            ),
            lambda _info: expect,
            expect,
        )
        if iid not in self.reviewed:
            self.reviewed.append(iid)
        return None

    def learning_point(self) -> None:
        from rrn_desktop.core import incidents

        if not self.reviewed:
            return self.review_incident()
        iid = self.random.choice(self.reviewed)
        text = f"Learning point {self.tag()}"
        self._edit(
            "learning-point",
            lambda: incidents.add_learning_point(self.db, iid, text),
            lambda _info: [_row("learning_point", text=text)],
        )
        return None

    # -- benchmarks and the organisation ---------------------------------------------------------

    def benchmark_notes(self) -> None:
        from rrn_desktop.core import benchmarks

        code = self.random.choice(self.item_codes)
        notes = f"Notes {self.tag()}"
        key = {"benchmark_id": self.benchmark_id, "item_code": code}
        expect = [_cell("item_response", key, "notes", notes)]
        self._edit(
            "benchmark-notes",
            lambda: benchmarks.update_response(self.db, self.benchmark_id, code, notes=notes),
            lambda _info: expect,
            expect,
        )

    def rename_organisation(self) -> None:
        from rrn_desktop.core import services

        name = f"Organisation {self.tag()}"
        expect = [_cell("organisation", {"id": self.organisation_id}, "name", name)]
        self._edit(
            "rename-organisation",
            lambda: services.rename_organisation(self.db, name),
            lambda _none: expect,
            expect,
        )


def main(argv: list[str]) -> int:
    data_dir, seed = Path(argv[0]), int(argv[1])
    options = argv[2:]
    die_at = int(options[1]) if options[:1] == ["--die-at-statement"] else None
    if die_at is not None or options[:1] == ["--count-statements"]:
        count = _count_statements(die_at)
        from rrn_desktop.storage.database import open_database

        open_database(data_dir).close()
        _say("opened", statements=count())
        return 0
    writer = Writer(data_dir, seed)
    _say("ready")
    while True:  # until killed
        writer.step()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
