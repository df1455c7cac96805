"""The domain's words: every choice a record can hold, and how each is shown to people.

Kept apart from the tables and the content packs so that a label, a pack check or a report
can name a choice without loading SQLAlchemy or pydantic."""

from __future__ import annotations

from enum import StrEnum


class Rating(StrEnum):
    """The Training Standards' answers. A pack may have a scale of its own: the data file
    stores any answer by its key, and NOT_RATED is every scale's "not yet rated"."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    NOT_RATED = "not_rated"


NOT_RATED = Rating.NOT_RATED.value
AnswerKey = str  # an answer of a pack's scale, as the data file stores it


class RestraintType(StrEnum):
    """The Restraint Reduction Network's eight types of restraint."""

    PHYSICAL = "physical"
    MECHANICAL = "mechanical"
    CHEMICAL = "chemical"
    ENVIRONMENTAL = "environmental"
    PSYCHOLOGICAL = "psychological"
    SURVEILLANCE = "surveillance"
    CULTURAL = "cultural"
    BLANKET = "blanket"


RESTRAINT_TYPE_LABELS: dict[RestraintType, str] = {
    RestraintType.PHYSICAL: "Physical",
    RestraintType.MECHANICAL: "Mechanical",
    RestraintType.CHEMICAL: "Chemical",
    RestraintType.ENVIRONMENTAL: "Environmental",
    RestraintType.PSYCHOLOGICAL: "Psychological",
    RestraintType.SURVEILLANCE: "Surveillance",
    RestraintType.CULTURAL: "Cultural",
    RestraintType.BLANKET: "Blanket restriction",
}


class RedFlag(StrEnum):
    """What inspectors and commissioners look for first in incident figures."""

    PRONE = "prone"
    LONG = "long"  # a physical or mechanical restraint of 10 minutes or more
    INJURY = "injury"
    RAPID_TRANQUILLISATION = "rapid_tranquillisation"
    SECLUSION = "seclusion"  # seclusion or long-term segregation
    # The person (known by their person code) was restrained REPEATED_USE_TIMES times or more
    # in the month or period counted: a flag of the set of incidents, not of one alone.
    REPEATED = "repeated"


RED_FLAG_LABELS: dict[RedFlag, str] = {
    RedFlag.PRONE: "Prone (face-down) restraint",
    RedFlag.LONG: "Restraint of 10 minutes or more",
    RedFlag.INJURY: "Someone injured",
    RedFlag.RAPID_TRANQUILLISATION: "Rapid tranquillisation",
    RedFlag.SECLUSION: "Seclusion or segregation",
    RedFlag.REPEATED: "Repeated use on one person",
}
LONG_RESTRAINT_MINUTES = 10
REPEATED_USE_TIMES = 3


class Sector(StrEnum):
    ADULT_SOCIAL_CARE = "adult_social_care"
    CHILDRENS_SERVICES = "childrens_services"
    EDUCATION = "education"
    HEALTH = "health"


SECTOR_LABELS: dict[Sector, str] = {
    Sector.ADULT_SOCIAL_CARE: "Adult social care",
    Sector.CHILDRENS_SERVICES: "Children's services",
    Sector.EDUCATION: "Education",
    Sector.HEALTH: "Health",
}


class Jurisdiction(StrEnum):
    """Whose law a service works under: recording duties differ between the UK's nations."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


JURISDICTION_LABELS: dict[Jurisdiction, str] = {
    Jurisdiction.ENGLAND: "England",
    Jurisdiction.WALES: "Wales",
    Jurisdiction.SCOTLAND: "Scotland",
    Jurisdiction.NORTHERN_IRELAND: "Northern Ireland",
}


class RecordPart(StrEnum):
    """The parts of the main incident record a rule can ask to be filled in."""

    PLACE = "place"
    DURATION = "duration"
    INTERVENTIONS = "interventions"  # the type of force, from the list of kinds
    REASON = "reason"
    TRIED_FIRST = "tried_first"
    IN_PLAN = "in_plan"  # answered yes or no, not "not known"
    INJURIES = "injuries"  # both injury questions answered yes or no
    WHO_TOLD = "who_told"
    STAFF = "staff"  # at least one member of staff named with their role
    PERSON_SUPPORT = "person_support"  # support offered to the person recorded
    STAFF_SUPPORT = "staff_support"  # every member of staff offered a welfare check
    LEARNING_REVIEW = "learning_review"


class Purpose(StrEnum):
    SELF_AUDIT = "self_audit"
    PEER_REVIEW = "peer_review"
    COMMISSIONER_REVIEW = "commissioner_review"


PURPOSE_LABELS: dict[Purpose, str] = {
    Purpose.SELF_AUDIT: "Self-audit",
    Purpose.PEER_REVIEW: "Peer review",
    Purpose.COMMISSIONER_REVIEW: "Commissioner review",
}


class EventKind(StrEnum):
    SIGNED_OFF = "signed_off"
    REOPENED = "reopened"


class PersonIdentity(StrEnum):
    """How the person at the centre of an incident is named in its record."""

    REFERENCE_ONLY = "reference_only"
    INITIALS = "initials"


class ChecklistAnswer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


CHECKLIST_ANSWER_LABELS: dict[ChecklistAnswer, str] = {
    ChecklistAnswer.YES: "Yes",
    ChecklistAnswer.NO: "No",
    ChecklistAnswer.NOT_SURE: "Not sure",
}


class AppliesTo(StrEnum):
    EVERYONE = "everyone"
    GROUP = "group"
    ONE_PERSON = "one_person"


APPLIES_TO_LABELS: dict[AppliesTo, str] = {
    AppliesTo.EVERYONE: "Everyone",
    AppliesTo.GROUP: "A group",
    AppliesTo.ONE_PERSON: "One person",
}


class RestrictionStatus(StrEnum):
    TO_CHECK = "to_check"  # answered "Not sure" on the checklist: not confirmed either way
    ACTIVE = "active"
    REDUCING = "reducing"
    INDIVIDUALISED = "individualised"
    REMOVED = "removed"


RESTRICTION_STATUS_LABELS: dict[RestrictionStatus, str] = {
    RestrictionStatus.TO_CHECK: "To check",
    RestrictionStatus.ACTIVE: "Active",
    RestrictionStatus.REDUCING: "Reducing",
    RestrictionStatus.INDIVIDUALISED: "Individualised",
    RestrictionStatus.REMOVED: "Removed",
}


# Still a blanket restriction: counted as active on the register and in the trend.
IN_PLACE_STATUSES = (RestrictionStatus.ACTIVE, RestrictionStatus.REDUCING)


# No longer a blanket restriction. "To check" is neither in place nor ended: nobody knows yet.
ENDED_STATUSES = (RestrictionStatus.INDIVIDUALISED, RestrictionStatus.REMOVED)


class ReviewFrequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SIX_MONTHLY = "six_monthly"
    YEARLY = "yearly"


REVIEW_FREQUENCY_LABELS: dict[ReviewFrequency, str] = {
    ReviewFrequency.DAILY: "Daily",
    ReviewFrequency.WEEKLY: "Weekly",
    ReviewFrequency.MONTHLY: "Monthly",
    ReviewFrequency.QUARTERLY: "Every 3 months",
    ReviewFrequency.SIX_MONTHLY: "Every 6 months",
    ReviewFrequency.YEARLY: "Yearly",
}


class Strategy(StrEnum):
    """The Six Core Strategies a restraint reduction plan is built on."""

    LEADERSHIP = "leadership"
    DATA = "data"
    WORKFORCE = "workforce"
    TOOLS = "tools"
    INVOLVEMENT = "involvement"
    DEBRIEFING = "debriefing"


STRATEGY_LABELS: dict[Strategy, str] = {
    Strategy.LEADERSHIP: "Leadership towards organisational change",
    Strategy.DATA: "Using data to inform practice",
    Strategy.WORKFORCE: "Workforce development",
    Strategy.TOOLS: "Using restraint reduction tools",
    Strategy.INVOLVEMENT: "Roles for people who use services and families",
    Strategy.DEBRIEFING: "Debriefing and learning after incidents",
}


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


ACTION_STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.PLANNED: "Planned",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.DROPPED: "Dropped",
}


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


PRIORITY_LABELS: dict[Priority, str] = {
    Priority.HIGH: "High",
    Priority.MEDIUM: "Medium",
    Priority.LOW: "Low",
}


class ActionSource(StrEnum):
    PLAN = "plan"
    BENCHMARK_ITEM = "benchmark_item"
    RESTRICTION = "restriction"
    LEARNING_POINT = "learning_point"


ACTION_SOURCE_LABELS: dict[ActionSource, str] = {
    ActionSource.PLAN: "The plan itself",
    ActionSource.BENCHMARK_ITEM: "A benchmark item",
    ActionSource.RESTRICTION: "A blanket restriction",
    ActionSource.LEARNING_POINT: "A post-incident learning point",
}


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


ANSWER_LABELS: dict[Answer, str] = {
    Answer.YES: "Yes",
    Answer.NO: "No",
    Answer.UNKNOWN: "Not known",
}


class Involvement(StrEnum):
    INVOLVED = "involved"
    WITNESS = "witness"


INVOLVEMENT_LABELS: dict[Involvement, str] = {
    Involvement.INVOLVED: "Involved",
    Involvement.WITNESS: "Witness",
}


class ChangeKind(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    DELETED = "deleted"
    SIGNED_OFF = "signed_off"
    REOPENED = "reopened"
    RESTORED = "restored"
