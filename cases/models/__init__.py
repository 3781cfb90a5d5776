"""Cases: children, cases and the records of each step of the statutory procedure."""

from cases.models.case import Case, CaseDeadline, CaseEvent, CaseEventType, CaseNumberSequence
from cases.models.choices import (
    AbuseForm,
    AbuseSubtype,
    AccidentOutcome,
    AccidentType,
    CaseKind,
    CaseStatus,
    DeadlineStep,
    ReportChannel,
    Setting,
    Sex,
)
from cases.models.history import CaseAssignment, CaseCorrection, ValueType
from cases.models.people import Caregiver, Child, ChildNameKey, Reporter
from cases.models.procedure import (
    Assessment,
    CalendarDay,
    CaseAttachment,
    CaseNote,
    EmergencyMeasure,
    NeedsMeeting,
    Plan,
    PlanItem,
    Review,
)
from cases.models.referral import Referral, ReferralNote, ReferralStatus, ReferralUrgency
from cases.models.transfer import CaseTransfer, TransferStatus

__all__ = [
    "AbuseForm", "AbuseSubtype", "AccidentOutcome", "AccidentType", "Assessment", "CalendarDay", "Caregiver",
    "Case", "CaseAssignment", "CaseAttachment", "CaseCorrection", "CaseDeadline", "CaseEvent", "CaseEventType",
    "CaseKind", "CaseNote", "CaseNumberSequence", "CaseStatus", "CaseTransfer", "Child", "ChildNameKey",
    "DeadlineStep", "EmergencyMeasure", "NeedsMeeting", "Plan", "PlanItem", "Referral", "ReferralNote",
    "ReferralStatus", "ReferralUrgency", "ReportChannel", "Reporter", "Review", "Setting", "Sex", "TransferStatus",
    "ValueType",
]  # fmt: skip
