"""A school's copy of one incident record for the pupil's parents or carers.

Schools in England give parents a copy of the record unless that would put the pupil at risk
of significant harm (see the rules pack), so this copy holds what happened to their child and
nothing of anyone else's: no staff names or support records, no learning review, and any other
person's name, initials or reference code written into the record replaced by "[removed]".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import ANSWER_LABELS, Answer, Sector
from rrn_desktop.core.incident_figures import identifiers, scrubber
from rrn_desktop.core.incidents import IncidentInfo, get_incident, list_incidents
from rrn_desktop.core.services import organisation_name
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports import layout
from rrn_desktop.reports.incident_report import duration_words, intervention_lines
from rrn_desktop.reports.job import ReportJob
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.storage.database import Database

PARENTS_COPY_TITLE = "Record for parents or carers"
_NOTE = (
    "The school's record of a time when force, restraint or seclusion was used with your "
    "child. It leaves out other people's details and the records of support offered "
    "afterwards. If anything here is unclear, or you see it differently, please talk to the "
    "school: your view can be added to the record."
)


def _others(db: Database, incident: IncidentInfo) -> list[str]:
    """Every name, initials and reference the records hold except the pupil's own."""
    own = {
        incident.reference.casefold(),
        incident.person_initials.strip().casefold(),
        incident.person_code.strip().casefold(),
    }
    names = identifiers(incident)
    for other in list_incidents(db):
        if other.id != incident.id:
            names += identifiers(other)
    # A one-letter "initial" would take every "a" out of the text: such are not scrubbed.
    return [n for n in names if len(n.strip()) > 1 and n.strip().casefold() not in own]


def _what_happened(incident: IncidentInfo, scrub: Callable[[str], str]) -> list[Flowable]:
    rows: list[tuple[str, object]] = [
        ("Reference code", incident.reference),
        ("School", incident.service.name),
        ("Date and time", hs.long_datetime(incident.occurred_at)),
    ]
    hurt = incident.person_injured is Answer.YES
    recorded: list[tuple[str, object]] = [
        ("How long it lasted", duration_words(incident.duration_minutes)),
        ("Where", scrub(incident.place)),
        ("What was used", intervention_lines(incident)),
        ("Why it was used", scrub(incident.reason)),
        ("What was tried first", scrub(incident.tried_first)),
        ("In your child's plan", ANSWER_LABELS[incident.in_plan]),
        ("Was your child hurt", ANSWER_LABELS[incident.person_injured]),
        # Details only of your child's injury: they may otherwise describe someone else's.
        ("How", scrub(incident.injury_details) if hurt else ""),
    ]
    answers = [(a.label, scrub(a.value)) for a in incident.answers_for()]
    return [
        *hs.section_start("What happened"),
        hs.key_value_table([*rows, *layout.filled_rows(recorded)]),
        Spacer(1, 3 * mm),
        *(
            [hs.heading("What the school also recorded", 2), hs.key_value_table(answers)]
            if answers
            else []
        ),
    ]


def write_parents_copy(
    db: Database,
    incident_id: int,
    out: Path,
    *,
    today: dt.date | None = None,
    progress: Callable[[float], None] | None = None,
) -> ReportResult:
    """Write the parents' or carers' copy of a school's incident record at ``out``."""
    generated_at = dt.datetime.now().replace(microsecond=0)
    job = ReportJob(out, progress)
    incident = get_incident(db, incident_id)
    if incident.service.sector is not Sector.EDUCATION:
        raise UserFacingError(
            f"A parents' copy is made only of a school's records; {incident.service.name} is "
            f"in {incident.service.sector_label.lower()}."
        )
    organisation = organisation_name(db)
    scrub = scrubber(_others(db, incident))
    job.step(0.2)
    story = [
        *hs.cover_heading(
            organisation=organisation,
            report_title=PARENTS_COPY_TITLE,
            subtitle=f"Incident {incident.reference}",
            facts=[
                ("School", incident.service.name),
                ("Date and time", hs.long_datetime(incident.occurred_at)),
                ("Copy made on", hs.long_date(today or generated_at.date())),
            ],
            purpose_note=_NOTE,
        ),
        *_what_happened(incident, scrub),
    ]
    return job.finish(
        story,
        title=PARENTS_COPY_TITLE,
        header=f"{incident.reference} · {incident.service.name} · {PARENTS_COPY_TITLE}",
        footer_note="for the pupil's parents or carers",
        subject=f"Incident {incident.reference} ({incident.service.name}), parents' copy",
        author=organisation,
    )
