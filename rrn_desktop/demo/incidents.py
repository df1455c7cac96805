"""Two years of fictional incident records for the demo, with the support and learning after each.

Everyone here is invented and the person restrained is known only by a reference code. The
records are shaped to show restraint reduction working: fewer incidents each month, shorter
holds, and support and reviews that come on time more often. Two recent incidents still wait for
their learning review: Kestrel Lodge's is overdue, so the start screen has a missing review to
show, while Willow House's is still inside the 72 hours (its only flag stays the overdue register
review). Dates are counted back from today and never fall after it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from rrn_desktop.base.vocabulary import ActionStatus, Answer, Involvement, Priority
from rrn_desktop.core import incidents, plan
from rrn_desktop.core.dates import month_end, month_starts
from rrn_desktop.core.services import ServiceInfo
from rrn_desktop.storage.database import Database

MONTHS = 24
MISSING_REVIEWS = (2, 7)  # Kestrel Lodge's 3rd and 8th incidents were never reviewed
Person = tuple[str, str]  # name, role
Point = tuple[str, str]  # learning point, theme id


@dataclass(frozen=True)
class Resident:
    """An invented person, by the code the home gives them and what their records hold."""

    code: str
    details: dict[str, str]  # the incident pack's person questions, answered
    weight: int  # how often they are the one restrained: a few people account for most


@dataclass(frozen=True)
class Scenario:
    place: str
    hours: tuple[int, ...]  # times of day when this tends to happen
    reason: str
    tried_first: str
    kinds: tuple[tuple[str, ...], ...]  # the choices, one picked at random
    before: str
    during: str
    what_helped: str
    could_be_different: str
    own_account: str
    help_next_time: str
    safeguarding: bool = False  # another person was hurt or at risk


@dataclass(frozen=True)
class Home:
    per_month: tuple[int, ...]  # incidents in each of the 24 months, oldest first
    scenarios: tuple[Scenario, ...]
    staff: tuple[Person, ...]
    leads: tuple[Person, ...]  # never among the staff above
    owners: tuple[Person, ...]
    supporter_roles: tuple[str, ...]
    communication: tuple[str, ...]
    declined: str
    who_told: tuple[str, ...]
    after: tuple[str, ...]
    first_year_points: tuple[Point, ...]
    second_year_points: tuple[Point, ...]
    residents: tuple[Resident, ...]


def _elder(
    code: str, age: str, sex: str, group: str, weight: int, *, learning_disability: str = "No"
) -> Resident:
    details = {"age_band": age, "sex": sex, "ethnic_group": group, "autistic": "No"}
    return Resident(code, {**details, "learning_disability": learning_disability}, weight)


# --- Willow House: a care home for older people, several living with dementia -----------------

WILLOW_SCENARIOS = (
    Scenario(
        "Front hall",
        (14, 15, 15, 16, 17),
        "Tried to leave by the front door to collect the children from school; "
        "the road outside is busy and they were not safe to go alone.",
        "Walked alongside and talked about the children; offered tea and the photo album.",
        (("physical-escort",), ("physical-escort",), ("environmental-locked-door",)),
        "Restless after lunch; asked several times where the children were.",
        "Two staff guided them by the arm back to the lounge.",
        "Sitting together with the photo album once back in the lounge.",
        "Go for the usual walk in the garden before the school-run time of day.",
        "I wanted to fetch the children. I did not like being held by the arm.",
        "Walk with me in the garden in the afternoon.",
    ),
    Scenario(
        "Dining room",
        (12, 12, 13, 17, 17),
        "Pushed and hit out at another resident at lunch when the room became loud.",
        "Moved the other resident away, turned the music down and offered the quiet lounge.",
        (("physical-brief-hold",), ("physical-seated-hold",)),
        "The dining room was full and the radio was on loud.",
        "A staff member held their forearm briefly, then sat with them holding their hands.",
        "A calm voice and moving to a quieter table.",
        "Offer a second, quieter lunch sitting.",
        "Too noisy. He kept taking my spoon.",
        "Let me eat at the small table by the window.",
        safeguarding=True,
    ),
    Scenario(
        "Bathroom",
        (7, 8, 8, 9, 21),
        "Hit out during personal care; frightened and in pain.",
        "Stopped and came back later; offered a different member of staff; explained each step.",
        (("physical-brief-hold",), ("physical-seated-hold",)),
        "Woke early and had not slept well; hip pain noted the day before.",
        "Staff held their hands for a short time while finishing a wash.",
        "Pain relief given before trying again, and the staff member they know best.",
        "Check for pain first and do personal care later in the morning.",
        "It hurt. I did not know who she was.",
        "Ask me first. Give me my tablets before my wash.",
    ),
    Scenario(
        "Lounge",
        (15, 16, 16, 17, 18),
        "Very distressed in the late afternoon: shouting, throwing cups and pulling at "
        "other people's clothes.",
        "Lowered the lights and noise, offered a walk and their favourite song, gave them space.",
        (
            ("physical-standing-hold",),
            ("physical-seated-hold",),
            ("physical-seated-hold", "chemical-prn"),
        ),
        "Visitors had just left and the shift was changing over.",
        "Staff held them standing, then seated on the sofa until they were calmer.",
        "Music from their younger days, once the room was quiet.",
        "Plan a calm activity for the handover hour, when visits end.",
        "I wanted to go with my son. Everyone was shouting.",
        "Put my music on before it gets busy.",
        safeguarding=True,
    ),
    Scenario(
        "Bedroom",
        (20, 21, 22, 23, 1, 2),
        "Calling out and banging on the wall for several hours at night; nothing tried settled "
        "them and they were becoming exhausted.",
        "Sat with them, offered a warm drink and music, checked for pain and a wet pad; "
        "called the nurse.",
        (("chemical-prn",), ("chemical-prn",), ("physical-brief-hold", "chemical-prn")),
        "A chest infection had been treated that week; sleep had been poor for days.",
        "The nurse gave the as-needed medicine in the PRN protocol after other steps failed.",
        "A familiar night worker sitting with them until they fell asleep.",
        "Ask the GP to review the infection and pain sooner when sleep changes.",
        "I felt poorly. I wanted my wife.",
        "Sit with me and hold my hand. Leave the lamp on.",
    ),
    Scenario(
        "Bedroom corridor",
        (22, 23, 1, 2, 3, 4),
        "Walking the corridor at night and going into other people's rooms; two falls this month.",
        "Offered a warm drink and company, checked for pain, left a night light on.",
        (
            ("surveillance-monitoring",),
            ("surveillance-enhanced-observation",),
            ("physical-escort",),
            ("physical-escort", "surveillance-monitoring"),
        ),
        "Had slept during the day and was wide awake at night.",
        "A sensor mat alerted staff, who guided them back to their room.",
        "A warm drink and sitting together in the quiet lounge for a while.",
        "More to do during the day so they sleep better at night.",
        "I was looking for the toilet. It was dark.",
        "Leave the bathroom light on and put a sign on the door.",
    ),
    Scenario(
        "Garden",
        (11, 14, 15, 16),
        "Tried to climb the garden fence after a family visit ended.",
        "Sat on the bench together and phoned their daughter with them.",
        (("physical-escort",), ("environmental-locked-door",)),
        "The visit ended suddenly and no one explained when the next one would be.",
        "Staff guided them back through the garden door, which was then locked for an hour.",
        "Phoning their daughter and planning the next visit on the calendar.",
        "End visits with a plan for the next one, written on their calendar.",
        "I wanted to go with her. I am not a prisoner.",
        "Tell me when she is coming back.",
    ),
)

WILLOW = Home(
    per_month=(3, 3, 3, 2, 3, 2, 2, 2, 2, 2, 1, 2, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0),
    scenarios=WILLOW_SCENARIOS,
    staff=(
        ("Jordan Sample", "Support worker"),
        ("Alex Testwell", "Senior support worker"),
        ("Lee Placeholder", "Senior support worker"),
        ("Robin Mockley", "Night support worker"),
        ("Priya Exampleton", "Care assistant"),
        ("Charlie Dummyfield", "Nurse"),
    ),
    leads=(("Morgan Example", "Registered manager"), ("Rhian Sample", "Deputy manager")),
    owners=(
        ("Rhian Sample", "Deputy manager"),
        ("Lee Placeholder", "Senior support worker"),
        ("Morgan Example", "Registered manager"),
    ),
    supporter_roles=("Key worker", "Senior support worker", "Registered manager", "Nurse"),
    communication=(
        "Talked with key worker over a cup of tea",
        "Used picture cards from their communication plan",
        "Talked during a walk in the garden, and again the next day",
        "Talked with their daughter there, as they asked",
        "Short chat while looking at the photo album together",
    ),
    declined="Offered a chat with key worker; they did not want to talk about it.",
    who_told=(
        "Nurse in charge; daughter by phone the same day",
        "Registered manager; son by phone; GP the next morning",
        "On-call manager; family representative; advocate",
        "Nurse in charge; registered manager the next morning",
    ),
    after=(
        "Sat with key worker for tea; calm within half an hour; checked for injuries.",
        "Checked for injuries by the nurse; rested in their room with music on.",
        "Had a snack and a warm drink; family phoned and spoke with them.",
    ),
    first_year_points=(
        (
            "Add the afternoon walk and tea at half past three to the support plan and the "
            "handover sheet.",
            "persons_plan",
        ),
        (
            "Turn the dining room radio off at lunch and offer a second, quieter sitting.",
            "environment_sensory",
        ),
        ("Ask the GP to review pain relief before morning personal care.", "physical_health_pain"),
        (
            "Make sure someone who knows the person well is on every late shift.",
            "staffing_handovers",
        ),
        ("Refresher on distraction and de-escalation for the new night staff.", "training_skills"),
        (
            "Write down the early signs (pacing, asking for family) and share them at handover.",
            "early_signs",
        ),
        (
            "Offer staff a welfare check before the end of the shift, not at supervision.",
            "after_incident_support",
        ),
        (
            "Record the reason for every PRN dose, and what was tried first, on the medicine "
            "chart.",
            "recording_data",
        ),
        ("Keep picture cards for personal care in each bathroom.", "communication"),
    ),
    second_year_points=(
        ("Invite the family to help write the 'what helps me' page.", "involving_person_family"),
        ("Check the PRN protocol still matches the best-interests decision.", "persons_plan"),
        (
            "Review the sensor mat at the next care plan review: is it still needed?",
            "environment_sensory",
        ),
        (
            "Ask the person's advocate to join the next review of their plan.",
            "involving_person_family",
        ),
        (
            "Share the monthly figures with night staff so they can see holds falling.",
            "recording_data",
        ),
        (
            "Pair new starters with an experienced colleague on late shifts for their first month.",
            "training_skills",
        ),
        ("Put a rummage box and familiar music in the front hall.", "environment_sensory"),
        (
            "Ask the person what they would like staff to say when they are looking for family.",
            "communication",
        ),
    ),
    residents=(
        _elder("WH-R01", "80 and over", "Female", "White", 4),
        _elder("WH-R02", "80 and over", "Male", "White", 3),
        _elder("WH-R03", "65 to 79", "Female", "Black, Black British, Caribbean or African", 3),
        _elder("WH-R04", "80 and over", "Female", "White", 2),
        _elder(
            "WH-R05", "65 to 79", "Male", "Asian or Asian British", 2, learning_disability="Yes"
        ),
    ),
)

# --- Kestrel Lodge: a children's home for young people aged 11 to 17 ---------------------------

KESTREL_SCENARIOS = (
    Scenario(
        "Lounge",
        (17, 18, 19, 20, 21),
        "An argument over the television turned into throwing furniture at another young person.",
        "Separated the young people, offered a drive and a snack, kept voices low.",
        (("physical-standing-hold",), ("physical-seated-hold",), ("physical-escort",)),
        "Both young people were tired after a long day at school.",
        "Two staff held them standing, then sat with them on the sofa until calm.",
        "The staff member they trust most talking quietly about football.",
        "Agree a television rota with the young people at the house meeting.",
        "He started it. I hate being held, I just wanted him to stop.",
        "Let me go to my room and put my music on.",
        safeguarding=True,
    ),
    Scenario(
        "Kitchen",
        (16, 17, 18, 19),
        "Picked up a knife from the drying rack after a phone call with family ended badly.",
        "Talked calmly from a distance, asked them to put it down, cleared the room of others.",
        (("physical-standing-hold",), ("physical-seated-hold",)),
        "A phone call with family had been cut short.",
        "After the knife was put on the side, staff held them for a short time.",
        "Being told they were not in trouble, and time with their key worker afterwards.",
        "Plan family calls earlier in the day, with a trusted adult nearby afterwards.",
        "I was upset about my mum. I was never going to hurt anyone.",
        "Give me space after phone calls. Ask me if I'm OK.",
        safeguarding=True,
    ),
    Scenario(
        "Bedroom corridor",
        (21, 22, 22, 23),
        "Punching walls and the window at bedtime; knuckles bleeding.",
        "Offered music and a hot chocolate; sat outside the room talking through the door.",
        (
            ("physical-seated-hold",),
            ("physical-seated-hold",),
            ("physical-seated-hold", "surveillance-enhanced-observation"),
        ),
        "Had been quiet all evening after hearing a placement review was coming up.",
        "Staff held their arms while seated on the landing floor until they stopped.",
        "First aid, then staying up with staff for a while in the kitchen.",
        "Talk through the placement review early, with the social worker, so it is less scary.",
        "Nobody tells me anything about where I'm going.",
        "Tell me what is happening with my placement.",
    ),
    Scenario(
        "Front drive",
        (10, 14, 16, 17),
        "Tried to run into the road after hearing a contact visit was cancelled.",
        "Walked alongside and talked; offered to phone the social worker together.",
        (("physical-escort",), ("physical-escort",), ("physical-standing-hold",)),
        "Contact was cancelled by text an hour beforehand.",
        "Two staff guided them by the arms back from the gate to the house.",
        "Phoning the social worker together and getting a new date.",
        "Ask the placing authority to tell the home first, so staff can break the news kindly.",
        "They always cancel. I wanted to go and see her myself.",
        "Let me phone my social worker straight away.",
    ),
    Scenario(
        "Hallway",
        (15, 16, 16, 17),
        "Kicking and spitting at staff in the hallway after school.",
        "Gave space, offered the sensory room and a snack, one staff member talking.",
        (
            ("environmental-quiet-space",),
            ("physical-escort", "environmental-quiet-space"),
            ("physical-escort",),
        ),
        "A difficult day at school; staff there had phoned ahead.",
        "Guided to the quiet room, with the door held closed for ten minutes.",
        "The weighted blanket and a drink once the door was open again.",
        "Meet them from school with a calm plan for the first hour home.",
        "School was rubbish. I didn't want to talk to anyone.",
        "Leave me alone for ten minutes with my headphones, then come and check.",
    ),
    Scenario(
        "Bedroom",
        (20, 21, 22, 23),
        "Said they wanted to hurt themself and had hidden a sharp object in their room.",
        "Talked with them in their room, asked for the item and waited; called the on-call "
        "manager.",
        (
            ("surveillance-enhanced-observation",),
            ("environmental-belongings-removed", "surveillance-enhanced-observation"),
        ),
        "Low mood all week; a friend had moved away.",
        "Staff stayed with them through the night and the item was taken away.",
        "Staff they trust staying close, and a call to their counsellor the next day.",
        "Ask the mental health team for a quicker appointment when mood drops.",
        "I just felt rubbish. Having someone there all night was a bit much but OK.",
        "Check in with me more when I'm quiet.",
    ),
)

KESTREL = Home(
    per_month=(2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0),
    scenarios=KESTREL_SCENARIOS,
    staff=(
        ("Jamie Notreal", "Residential care worker"),
        ("Taylor Fictive", "Residential care worker"),
        ("Riley Testcase", "Senior residential care worker"),
        ("Avery Sampleford", "Waking night worker"),
        ("Quinn Madeup", "Residential care worker"),
    ),
    leads=(("Casey Specimen", "Registered manager"), ("Dana Trialson", "Deputy manager")),
    owners=(
        ("Casey Specimen", "Registered manager"),
        ("Dana Trialson", "Deputy manager"),
        ("Riley Testcase", "Senior residential care worker"),
    ),
    supporter_roles=("Key worker", "Residential care worker", "Deputy manager"),
    communication=(
        "Talked with key worker while baking",
        "Wrote it in their journal and chose to share it",
        "Chatted in the car on the way to football",
        "Used the feelings chart they designed",
        "Talked the next morning over breakfast, when they were ready",
    ),
    declined="Offered a chat with key worker; they said they did not want to talk yet.",
    who_told=(
        "On-call manager; social worker by email; mum by phone",
        "Registered manager; placing authority; dad by phone",
        "On-call manager; social worker the next morning",
        "Registered manager; social worker; independent advocate",
    ),
    after=(
        "First aid checked; hot chocolate with key worker; settled to sleep.",
        "Went to their room with music; staff checked every fifteen minutes, then less.",
        "Talked with key worker; phoned their social worker together.",
    ),
    first_year_points=(
        (
            "Plan family calls earlier in the day, with time with a trusted adult afterwards.",
            "persons_plan",
        ),
        (
            "Agree a 'time out' signal the young person can use to leave the room.",
            "communication",
        ),
        (
            "Open the sensory room after school without the young people having to ask.",
            "environment_sensory",
        ),
        ("Share each young person's triggers at the three o'clock handover.", "staffing_handovers"),
        ("Practise the de-escalation steps together at the team meeting.", "training_skills"),
        (
            "Write down early signs (going quiet, hood up, pacing the landing) in the plan.",
            "early_signs",
        ),
        ("Send the placing authority the record on the same day.", "recording_data"),
        (
            "Check in with staff the next morning, not only at supervision.",
            "after_incident_support",
        ),
    ),
    second_year_points=(
        (
            "Ask the young person to help rewrite their safety plan in their own words.",
            "involving_person_family",
        ),
        ("Ask the GP about poor sleep and headaches.", "physical_health_pain"),
        (
            "Ask the young people at the house meeting what makes evenings calmer.",
            "involving_person_family",
        ),
        ("Agree with the school a calm handover plan for difficult days.", "communication"),
        (
            "Keep the same staff member on shift for the young person's contact days.",
            "staffing_handovers",
        ),
        (
            "Look at the monthly figures with the team: most holds now follow family contact.",
            "recording_data",
        ),
        ("Offer a chat with the independent advocate after every hold.", "after_incident_support"),
    ),
    residents=(
        Resident(
            "KL-Y01",
            {"age_band": "11 to 15", "sex": "Male", "ethnic_group": "White", "autistic": "Yes"},
            4,
        ),
        Resident(
            "KL-Y02",
            {
                "age_band": "16 to 17",
                "sex": "Female",
                "ethnic_group": "Mixed or multiple ethnic groups",
            },
            3,
        ),
        Resident("KL-Y03", {"age_band": "11 to 15", "sex": "Female", "autistic": "No"}, 3),
        # A child whose details the home has not yet recorded.
        Resident("KL-Y04", {}, 1),
    ),
)
PRONE_POINT = (
    "No more face-down holds: refresher training, and the manager reviews every hold for a month.",
    "training_skills",
)
DONE_NOTES = (
    "Checked at the team meeting: in place.",
    "Done; the support plan has been updated.",
    "In place and working, checked on a spot visit.",
)

# How long each kind usually lasted, in minutes: (in the first year, in the second).
DURATIONS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "physical-standing-hold": ((4, 15), (1, 6)),
    "physical-seated-hold": ((5, 20), (2, 8)),
    "physical-floor-prone": ((3, 6), (2, 4)),
    "physical-escort": ((2, 6), (1, 4)),
    "physical-brief-hold": ((1, 3), (1, 2)),
    "environmental-locked-door": ((30, 90), (10, 30)),
    "environmental-quiet-space": ((15, 30), (5, 15)),
    "environmental-belongings-removed": ((60, 240), (30, 120)),
    "surveillance-enhanced-observation": ((480, 1440), (240, 720)),
    "surveillance-monitoring": ((480, 600), (360, 480)),
}


@dataclass(frozen=True)
class Planned:
    home: Home
    service: ServiceInfo
    scenario: Scenario
    kinds: tuple[str, ...]
    occurred_at: dt.datetime
    progress: float  # 0 two years ago, 1 now: how far the home has come
    first_point: Point | None = None


def chance(rng: random.Random, early: float, late: float, progress: float) -> bool:
    """Odds that move from `early` two years ago to `late`, reached a few months ago."""
    settled = min(progress / 0.8, 1.0)
    return rng.random() < early + (late - early) * settled


def _schedule(
    rng: random.Random, homes: list[tuple[Home, ServiceInfo]], today: dt.date
) -> list[Planned]:
    """Every incident of the two years, oldest first, none in the last week."""
    months = month_starts(today, MONTHS)
    latest = today - dt.timedelta(days=8)
    planned = []
    for home, service in homes:
        for index, (month, count) in enumerate(zip(months, home.per_month, strict=True)):
            last = min(month_end(month), latest)
            for _ in range(count if last >= month else 0):
                day = month + dt.timedelta(days=rng.randint(0, (last - month).days))
                scenario = rng.choice(home.scenarios)
                at = dt.time(rng.choice(scenario.hours), rng.choice(range(0, 60, 5)))
                planned.append(
                    Planned(
                        home,
                        service,
                        scenario,
                        rng.choice(scenario.kinds),
                        dt.datetime.combine(day, at),
                        index / (MONTHS - 1),
                    )
                )
    planned.sort(key=lambda item: item.occurred_at)
    # The one face-down hold was Kestrel Lodge's first incident; it never happened again.
    first = next(n for n, item in enumerate(planned) if item.home is KESTREL)
    planned[first] = dataclasses.replace(
        planned[first],
        scenario=KESTREL_SCENARIOS[1],
        kinds=("physical-floor-prone",),
        first_point=PRONE_POINT,
    )
    return planned


def willow_answers(rng: random.Random, item: Planned, today: dt.date) -> dict[str, str]:
    if chance(rng, 0.3, 0.05, item.progress):
        capacity = rng.choice(
            [
                "The person lacked capacity and no best-interests decision covers this yet",
                "Not considered or not known",
            ]
        )
    elif rng.random() < 0.2:
        capacity = "The person had capacity to decide about this"
    else:
        capacity = "The person lacked capacity and a best-interests decision covers this"
    medicine = any(kind.startswith("chemical") for kind in item.kinds)
    return {
        "safeguarding_raised": "yes" if item.scenario.safeguarding else "no",
        "representative_told": "yes" if chance(rng, 0.7, 0.98, item.progress) else "no",
        "capacity_considered": capacity,
        "dols_authorisation": "Applied for" if rng.random() < 0.2 else "Yes",
        "health_professional_told": "yes" if medicine or rng.random() < 0.3 else "no",
    }


# How the young people seemed afterwards, as staff wrote it (the children's home rules ask).
EFFECTS = (
    "Upset and tearful at first; calmer after twenty minutes with a favourite member of staff.",
    "Angry for a while, then went to their room to listen to music; ate tea with the others.",
    "Quiet and withdrawn for the rest of the evening; checked on every half hour.",
)


def kestrel_answers(rng: random.Random, item: Planned, today: dt.date) -> dict[str, str]:
    p = item.progress
    day = item.occurred_at.date()
    told = day + dt.timedelta(days=0 if chance(rng, 0.5, 0.9, p) else rng.randint(1, 3))
    read = day + dt.timedelta(days=0 if chance(rng, 0.5, 0.95, p) else rng.randint(1, 4))
    written = day + dt.timedelta(days=0 if chance(rng, 0.6, 0.95, p) else rng.randint(2, 4))
    return {
        "placing_authority_told_on": min(told, today).isoformat(),
        "child_views_recorded": "yes" if chance(rng, 0.6, 0.95, p) else "no",
        "parents_told": rng.choice(["yes", "yes", "yes", "no", "unknown"]),
        "advocate_offered": "yes" if chance(rng, 0.5, 0.95, p) else "no",
        "manager_reviewed_on": min(read, today).isoformat(),
        # What the recording rules for children's homes add (content/rules): now and then one
        # is left unanswered or late, as in a real home's records.
        "what_happened_before": item.scenario.before,
        "effect": rng.choice(EFFECTS) if chance(rng, 0.7, 0.9, p) else "",
        "written_record_on": min(written, today).isoformat(),
    }


Answers = Callable[[random.Random, Planned, dt.date], dict[str, str]]


def resident_of(item: Planned) -> Resident:
    """Who was restrained, drawn from a stream of its own (seeded by the time) so that the
    rest of the demo's records come out as they always have."""
    residents = item.home.residents
    own = random.Random(item.occurred_at.isoformat())
    return own.choices(residents, weights=[r.weight for r in residents])[0]


def record_planned(
    db: Database,
    rng: random.Random,
    item: Planned,
    today: dt.date,
    *,
    reference: str | None = None,
    answers: Answers | None = None,
) -> incidents.IncidentInfo:
    """The incident record, all in one go: under REFERENCE, else the next free code, with the
    sector's own questions answered by ANSWERS, else as the demo home would answer them."""
    held = item.kinds[0].startswith("physical")
    injured = held and rng.random() < 0.08
    staff_hurt = held and rng.random() < 0.06
    details = []
    if injured:
        details.append("Small bruise on the forearm, checked by the nurse or first aider.")
    if staff_hurt:
        details.append("A scratch to a staff member's hand; first aid given.")
    spans = [
        DURATIONS[kind][1 if item.progress >= 0.5 else 0]
        for kind in item.kinds
        if kind in DURATIONS
    ]
    if answers is None:
        answers = willow_answers if item.home is WILLOW else kestrel_answers
    resident = resident_of(item)
    return incidents.record_incident(
        db,
        item.service.id,
        reference or incidents.suggest_reference(db, item.occurred_at.date()),
        item.occurred_at,
        list(item.kinds),
        now=dt.datetime.combine(today, dt.time(23, 59)),
        duration_minutes=max((rng.randint(*span) for span in spans), default=None),
        place=item.scenario.place,
        reason=item.scenario.reason,
        tried_first=item.scenario.tried_first,
        in_plan=Answer.YES if chance(rng, 0.6, 0.95, item.progress) else Answer.NO,
        person_injured=Answer.YES if injured else Answer.NO,
        staff_injured=Answer.YES if staff_hurt else Answer.NO,
        injury_details=" ".join(details),
        who_told=rng.choice(item.home.who_told),
        sector_answers=answers(rng, item, today),
        person_code=resident.code,
        person_details=resident.details,
    )


def _welfare_offered_on(rng: random.Random, item: Planned, today: dt.date) -> dt.date | None:
    if chance(rng, 0.15, 0.0, item.progress):
        return None
    late = chance(rng, 0.3, 0.02, item.progress)
    delay = rng.randint(4, 10) if late else rng.randint(0, 2)
    return min(item.occurred_at.date() + dt.timedelta(days=delay), today)


def add_staff(
    db: Database, rng: random.Random, item: Planned, incident_id: int, today: dt.date
) -> None:
    """One to three staff involved, sometimes a witness, each with their welfare check."""
    involved = rng.choice([1, 2, 2, 2, 3])
    witnesses = 1 if rng.random() < 0.3 else 0
    people = rng.sample(item.home.staff, involved + witnesses)
    for number, (name, role) in enumerate(people):
        offered = _welfare_offered_on(rng, item, today)
        taken = Answer.NO if offered is None else rng.choice([Answer.YES, Answer.YES, Answer.NO])
        incidents.add_staff(
            db,
            incident_id,
            name,
            Involvement.WITNESS if number >= involved else Involvement.INVOLVED,
            role=role,
            welfare_offered_on=offered,
            welfare_taken_up=taken,
            referral="Pointed to the employee support line." if rng.random() < 0.08 else "",
        )


def support_person(
    db: Database, rng: random.Random, item: Planned, incident_id: int, today: dt.date
) -> None:
    late = chance(rng, 0.25, 0.03, item.progress)
    delay = rng.randint(4, 7) if late else rng.randint(0, 1)
    offered = min(item.occurred_at.date() + dt.timedelta(days=delay), today)
    home = item.home
    if rng.random() < 0.15:
        incidents.save_person_support(
            db,
            incident_id,
            offered,
            offered_by_role=rng.choice(home.supporter_roles),
            taken_up=Answer.NO,
            communication=home.declined,
        )
        return
    incidents.save_person_support(
        db,
        incident_id,
        offered,
        offered_by_role=rng.choice(home.supporter_roles),
        taken_up=Answer.YES,
        communication=rng.choice(home.communication),
        own_account=item.scenario.own_account,
        help_next_time=item.scenario.help_next_time,
    )


def review_incident(
    db: Database, rng: random.Random, item: Planned, incident_id: int, today: dt.date
) -> incidents.ReviewInfo:
    """The learning review, led by someone not involved, and its learning points."""
    home, scenario = item.home, item.scenario
    late = chance(rng, 0.35, 0.05, item.progress)
    delay = rng.randint(5, 12) if late else rng.randint(1, 3)
    held = min(item.occurred_at.date() + dt.timedelta(days=delay), today)
    lead, lead_role = rng.choice(home.leads) if rng.random() < 0.4 else home.leads[0]
    incidents.save_review(
        db,
        incident_id,
        held,
        lead,
        lead_not_involved=True,
        today=today,
        lead_role=lead_role,
        before=scenario.before,
        during=scenario.during,
        after=rng.choice(home.after),
        what_helped=scenario.what_helped,
        could_be_different=scenario.could_be_different,
    )
    pool = home.first_year_points if item.progress < 0.5 else home.second_year_points
    points = rng.sample(pool, rng.choice([1, 1, 2, 2, 3]))
    if item.first_point is not None:
        points = [item.first_point, *points[:1]]
    info = None
    for text, theme in points:
        info = incidents.add_learning_point(db, incident_id, text, theme)
    assert info is not None and info.review is not None
    return info.review


def make_action(
    db: Database, rng: random.Random, item: Planned, point_id: int, held: dt.date, today: dt.date
) -> None:
    """The point becomes an action; older ones have since moved on, most of them to done."""
    owner, owner_role = rng.choice(item.home.owners)
    action = incidents.point_to_action(
        db,
        point_id,
        held,
        owner_name=owner,
        owner_role=owner_role,
        due_on=held + dt.timedelta(days=rng.choice([45, 60, 75])),
        priority=Priority.HIGH if item.first_point or rng.random() < 0.25 else Priority.MEDIUM,
    )
    age = (today - held).days
    if age > 21:
        plan.move_forward(db, action.id, held + dt.timedelta(days=rng.randint(5, 14)))
    done_on = held + dt.timedelta(days=rng.randint(30, 80))
    if age > 100 and done_on < today and rng.random() < 0.85:
        plan.set_status(db, action.id, ActionStatus.DONE, done_on, rng.choice(DONE_NOTES))


def _waiting_for_review(
    db: Database, rng: random.Random, item: Planned, today: dt.date, first_offered: dt.date
) -> None:
    """A recent incident: support under way, its learning review not yet held."""
    incident = record_planned(db, rng, item, today)
    for number, (name, role) in enumerate(item.home.staff[:2]):
        offered = first_offered if number == 0 else None
        incidents.add_staff(
            db,
            incident.id,
            name,
            Involvement.INVOLVED,
            role=role,
            welfare_offered_on=offered,
            welfare_taken_up=Answer.YES if offered else Answer.UNKNOWN,
        )
    incidents.save_person_support(
        db,
        incident.id,
        first_offered,
        offered_by_role="Key worker",
        taken_up=Answer.YES,
        communication=item.home.communication[0],
        own_account=item.scenario.own_account,
        help_next_time=item.scenario.help_next_time,
    )


def load_demo_incidents(
    db: Database, care_home: ServiceInfo, childrens_home: ServiceInfo, today: dt.date
) -> None:
    rng = random.Random(2024)
    converted: set[str] = set()  # each learning point becomes an action once at most
    schedule = _schedule(rng, [(WILLOW, care_home), (KESTREL, childrens_home)], today)
    at_kestrel = 0
    for item in schedule:
        incident = record_planned(db, rng, item, today)
        add_staff(db, rng, item, incident.id, today)
        if item.home is KESTREL:
            at_kestrel += 1
            if at_kestrel - 1 in MISSING_REVIEWS:
                continue  # early on, a few incidents were never followed up
        if chance(rng, 0.8, 0.97, item.progress):
            support_person(db, rng, item, incident.id, today)
        review = review_incident(db, rng, item, incident.id, today)
        for point in review.points:
            if point.text in converted:
                continue
            if point.text == PRONE_POINT[0] or chance(rng, 0.3, 0.6, item.progress):
                converted.add(point.text)
                make_action(db, rng, item, point.id, review.held_on, today)

    # Overdue: four days ago, and no review yet. Still in time: yesterday afternoon.
    four_days_ago = dt.datetime.combine(today - dt.timedelta(days=4), dt.time(19, 15))
    overdue = Planned(
        KESTREL, childrens_home, KESTREL_SCENARIOS[0], ("physical-standing-hold",), four_days_ago, 1
    )
    _waiting_for_review(db, rng, overdue, today, four_days_ago.date() + dt.timedelta(days=1))
    yesterday = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(16, 40))
    recent = Planned(WILLOW, care_home, WILLOW_SCENARIOS[0], ("physical-escort",), yesterday, 1)
    _waiting_for_review(db, rng, recent, today, today)
