import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RouteTarget(_message.Message):
    __slots__ = ("kind", "team", "rep_ids")
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    REP_IDS_FIELD_NUMBER: _ClassVar[int]
    kind: str
    team: str
    rep_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, kind: _Optional[str] = ..., team: _Optional[str] = ..., rep_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class Route(_message.Message):
    __slots__ = ("route_id", "name", "condition", "target", "rep_filter", "sla_hours", "cooldown_hours", "auto_assign")
    ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONDITION_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    REP_FILTER_FIELD_NUMBER: _ClassVar[int]
    SLA_HOURS_FIELD_NUMBER: _ClassVar[int]
    COOLDOWN_HOURS_FIELD_NUMBER: _ClassVar[int]
    AUTO_ASSIGN_FIELD_NUMBER: _ClassVar[int]
    route_id: str
    name: str
    condition: str
    target: RouteTarget
    rep_filter: str
    sla_hours: float
    cooldown_hours: float
    auto_assign: bool
    def __init__(self, route_id: _Optional[str] = ..., name: _Optional[str] = ..., condition: _Optional[str] = ..., target: _Optional[_Union[RouteTarget, _Mapping]] = ..., rep_filter: _Optional[str] = ..., sla_hours: _Optional[float] = ..., cooldown_hours: _Optional[float] = ..., auto_assign: bool = ...) -> None: ...

class RuleVersion(_message.Message):
    __slots__ = ("kind", "version", "routes", "formula", "comment", "created_by", "created_at", "active")
    KIND_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ROUTES_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    kind: str
    version: int
    routes: _containers.RepeatedCompositeFieldContainer[Route]
    formula: str
    comment: str
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    active: bool
    def __init__(self, kind: _Optional[str] = ..., version: _Optional[int] = ..., routes: _Optional[_Iterable[_Union[Route, _Mapping]]] = ..., formula: _Optional[str] = ..., comment: _Optional[str] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., active: bool = ...) -> None: ...

class AuditEntry(_message.Message):
    __slots__ = ("kind", "version", "action", "actor_id", "at")
    KIND_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    kind: str
    version: int
    action: str
    actor_id: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, kind: _Optional[str] = ..., version: _Optional[int] = ..., action: _Optional[str] = ..., actor_id: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SaveRoutesRequest(_message.Message):
    __slots__ = ("routes", "comment")
    ROUTES_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    routes: _containers.RepeatedCompositeFieldContainer[Route]
    comment: str
    def __init__(self, routes: _Optional[_Iterable[_Union[Route, _Mapping]]] = ..., comment: _Optional[str] = ...) -> None: ...

class SaveRoutesResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: RuleVersion
    def __init__(self, version: _Optional[_Union[RuleVersion, _Mapping]] = ...) -> None: ...

class SaveFormulaRequest(_message.Message):
    __slots__ = ("formula", "comment")
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    formula: str
    comment: str
    def __init__(self, formula: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class SaveFormulaResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: RuleVersion
    def __init__(self, version: _Optional[_Union[RuleVersion, _Mapping]] = ...) -> None: ...

class ListRuleVersionsRequest(_message.Message):
    __slots__ = ("kind",)
    KIND_FIELD_NUMBER: _ClassVar[int]
    kind: str
    def __init__(self, kind: _Optional[str] = ...) -> None: ...

class ListRuleVersionsResponse(_message.Message):
    __slots__ = ("versions",)
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[RuleVersion]
    def __init__(self, versions: _Optional[_Iterable[_Union[RuleVersion, _Mapping]]] = ...) -> None: ...

class ActivateRuleVersionRequest(_message.Message):
    __slots__ = ("kind", "version")
    KIND_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    kind: str
    version: int
    def __init__(self, kind: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class ActivateRuleVersionResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: RuleVersion
    def __init__(self, version: _Optional[_Union[RuleVersion, _Mapping]] = ...) -> None: ...

class GetActiveRulesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetActiveRulesResponse(_message.Message):
    __slots__ = ("routes", "formula")
    ROUTES_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    routes: RuleVersion
    formula: RuleVersion
    def __init__(self, routes: _Optional[_Union[RuleVersion, _Mapping]] = ..., formula: _Optional[_Union[RuleVersion, _Mapping]] = ...) -> None: ...

class ListRuleAuditRequest(_message.Message):
    __slots__ = ("page_size",)
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    def __init__(self, page_size: _Optional[int] = ...) -> None: ...

class ListRuleAuditResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ...) -> None: ...

class Candidate(_message.Message):
    __slots__ = ("rep_id", "score")
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    rep_id: str
    score: float
    def __init__(self, rep_id: _Optional[str] = ..., score: _Optional[float] = ...) -> None: ...

class DryRunRequest(_message.Message):
    __slots__ = ("routes", "routes_version", "formula", "formula_version", "candidates_per_lead")
    ROUTES_FIELD_NUMBER: _ClassVar[int]
    ROUTES_VERSION_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    FORMULA_VERSION_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_PER_LEAD_FIELD_NUMBER: _ClassVar[int]
    routes: _containers.RepeatedCompositeFieldContainer[Route]
    routes_version: int
    formula: str
    formula_version: int
    candidates_per_lead: int
    def __init__(self, routes: _Optional[_Iterable[_Union[Route, _Mapping]]] = ..., routes_version: _Optional[int] = ..., formula: _Optional[str] = ..., formula_version: _Optional[int] = ..., candidates_per_lead: _Optional[int] = ...) -> None: ...

class DryRunLead(_message.Message):
    __slots__ = ("lead_id", "company_name", "route_id", "route_name", "to_pool", "candidates", "owner_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTE_NAME_FIELD_NUMBER: _ClassVar[int]
    TO_POOL_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    company_name: str
    route_id: str
    route_name: str
    to_pool: bool
    candidates: _containers.RepeatedCompositeFieldContainer[Candidate]
    owner_id: str
    def __init__(self, lead_id: _Optional[str] = ..., company_name: _Optional[str] = ..., route_id: _Optional[str] = ..., route_name: _Optional[str] = ..., to_pool: bool = ..., candidates: _Optional[_Iterable[_Union[Candidate, _Mapping]]] = ..., owner_id: _Optional[str] = ...) -> None: ...

class RouteCount(_message.Message):
    __slots__ = ("route_id", "route_name", "leads")
    ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTE_NAME_FIELD_NUMBER: _ClassVar[int]
    LEADS_FIELD_NUMBER: _ClassVar[int]
    route_id: str
    route_name: str
    leads: int
    def __init__(self, route_id: _Optional[str] = ..., route_name: _Optional[str] = ..., leads: _Optional[int] = ...) -> None: ...

class DryRunSummary(_message.Message):
    __slots__ = ("open_leads", "per_route", "unmatched", "to_pool", "without_candidates", "changed_best_candidate")
    OPEN_LEADS_FIELD_NUMBER: _ClassVar[int]
    PER_ROUTE_FIELD_NUMBER: _ClassVar[int]
    UNMATCHED_FIELD_NUMBER: _ClassVar[int]
    TO_POOL_FIELD_NUMBER: _ClassVar[int]
    WITHOUT_CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BEST_CANDIDATE_FIELD_NUMBER: _ClassVar[int]
    open_leads: int
    per_route: _containers.RepeatedCompositeFieldContainer[RouteCount]
    unmatched: int
    to_pool: int
    without_candidates: int
    changed_best_candidate: int
    def __init__(self, open_leads: _Optional[int] = ..., per_route: _Optional[_Iterable[_Union[RouteCount, _Mapping]]] = ..., unmatched: _Optional[int] = ..., to_pool: _Optional[int] = ..., without_candidates: _Optional[int] = ..., changed_best_candidate: _Optional[int] = ...) -> None: ...

class DryRunResponse(_message.Message):
    __slots__ = ("leads", "summary")
    LEADS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    leads: _containers.RepeatedCompositeFieldContainer[DryRunLead]
    summary: DryRunSummary
    def __init__(self, leads: _Optional[_Iterable[_Union[DryRunLead, _Mapping]]] = ..., summary: _Optional[_Union[DryRunSummary, _Mapping]] = ...) -> None: ...

class RerankPoolRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RerankPoolResponse(_message.Message):
    __slots__ = ("leads", "scored_pairs", "notifications")
    LEADS_FIELD_NUMBER: _ClassVar[int]
    SCORED_PAIRS_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    leads: int
    scored_pairs: int
    notifications: int
    def __init__(self, leads: _Optional[int] = ..., scored_pairs: _Optional[int] = ..., notifications: _Optional[int] = ...) -> None: ...

class PoolEntry(_message.Message):
    __slots__ = ("lead_id", "company_name", "source", "route_id", "route_name", "candidates", "ranked_at")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTE_NAME_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    RANKED_AT_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    company_name: str
    source: str
    route_id: str
    route_name: str
    candidates: _containers.RepeatedCompositeFieldContainer[Candidate]
    ranked_at: _timestamp_pb2.Timestamp
    def __init__(self, lead_id: _Optional[str] = ..., company_name: _Optional[str] = ..., source: _Optional[str] = ..., route_id: _Optional[str] = ..., route_name: _Optional[str] = ..., candidates: _Optional[_Iterable[_Union[Candidate, _Mapping]]] = ..., ranked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListPoolRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPoolResponse(_message.Message):
    __slots__ = ("entries", "next_page_token")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[PoolEntry]
    next_page_token: str
    def __init__(self, entries: _Optional[_Iterable[_Union[PoolEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Assignment(_message.Message):
    __slots__ = ("assignment_id", "lead_id", "rep_id", "mode", "actor_id", "route_id", "route_name", "score", "assigned_at", "first_touch_due", "first_touched_at")
    ASSIGNMENT_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTE_NAME_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    FIRST_TOUCH_DUE_FIELD_NUMBER: _ClassVar[int]
    FIRST_TOUCHED_AT_FIELD_NUMBER: _ClassVar[int]
    assignment_id: str
    lead_id: str
    rep_id: str
    mode: str
    actor_id: str
    route_id: str
    route_name: str
    score: float
    assigned_at: _timestamp_pb2.Timestamp
    first_touch_due: _timestamp_pb2.Timestamp
    first_touched_at: _timestamp_pb2.Timestamp
    def __init__(self, assignment_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., rep_id: _Optional[str] = ..., mode: _Optional[str] = ..., actor_id: _Optional[str] = ..., route_id: _Optional[str] = ..., route_name: _Optional[str] = ..., score: _Optional[float] = ..., assigned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., first_touch_due: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., first_touched_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AssignPoolRequest(_message.Message):
    __slots__ = ("max_listed",)
    MAX_LISTED_FIELD_NUMBER: _ClassVar[int]
    max_listed: int
    def __init__(self, max_listed: _Optional[int] = ...) -> None: ...

class AssignPoolResponse(_message.Message):
    __slots__ = ("assignments", "left_in_pool", "assigned")
    ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    LEFT_IN_POOL_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_FIELD_NUMBER: _ClassVar[int]
    assignments: _containers.RepeatedCompositeFieldContainer[Assignment]
    left_in_pool: int
    assigned: int
    def __init__(self, assignments: _Optional[_Iterable[_Union[Assignment, _Mapping]]] = ..., left_in_pool: _Optional[int] = ..., assigned: _Optional[int] = ...) -> None: ...

class ClaimLeadRequest(_message.Message):
    __slots__ = ("lead_id",)
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    def __init__(self, lead_id: _Optional[str] = ...) -> None: ...

class ClaimLeadResponse(_message.Message):
    __slots__ = ("assignment",)
    ASSIGNMENT_FIELD_NUMBER: _ClassVar[int]
    assignment: Assignment
    def __init__(self, assignment: _Optional[_Union[Assignment, _Mapping]] = ...) -> None: ...

class AssignLeadRequest(_message.Message):
    __slots__ = ("lead_id", "rep_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    rep_id: str
    def __init__(self, lead_id: _Optional[str] = ..., rep_id: _Optional[str] = ...) -> None: ...

class AssignLeadResponse(_message.Message):
    __slots__ = ("assignment",)
    ASSIGNMENT_FIELD_NUMBER: _ClassVar[int]
    assignment: Assignment
    def __init__(self, assignment: _Optional[_Union[Assignment, _Mapping]] = ...) -> None: ...

class ReleaseLeadRequest(_message.Message):
    __slots__ = ("lead_id", "reason")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    reason: str
    def __init__(self, lead_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReleaseLeadResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TouchLeadRequest(_message.Message):
    __slots__ = ("lead_id", "kind")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    kind: str
    def __init__(self, lead_id: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class TouchLeadResponse(_message.Message):
    __slots__ = ("assignment",)
    ASSIGNMENT_FIELD_NUMBER: _ClassVar[int]
    assignment: Assignment
    def __init__(self, assignment: _Optional[_Union[Assignment, _Mapping]] = ...) -> None: ...

class FormulaTerm(_message.Message):
    __slots__ = ("term", "value")
    TERM_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    term: str
    value: str
    def __init__(self, term: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class Explanation(_message.Message):
    __slots__ = ("lead_id", "assignment", "route_id", "route_name", "route_condition", "routes_version", "formula", "formula_version", "score", "terms", "runners_up", "capacity", "open_leads", "change", "actor_id", "rank", "candidates", "reason", "previous_owner_id", "owner_id", "changed_at", "summary")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_FIELD_NUMBER: _ClassVar[int]
    ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTE_NAME_FIELD_NUMBER: _ClassVar[int]
    ROUTE_CONDITION_FIELD_NUMBER: _ClassVar[int]
    ROUTES_VERSION_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    FORMULA_VERSION_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    RUNNERS_UP_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    OPEN_LEADS_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    assignment: Assignment
    route_id: str
    route_name: str
    route_condition: str
    routes_version: int
    formula: str
    formula_version: int
    score: float
    terms: _containers.RepeatedCompositeFieldContainer[FormulaTerm]
    runners_up: _containers.RepeatedCompositeFieldContainer[Candidate]
    capacity: int
    open_leads: int
    change: str
    actor_id: str
    rank: int
    candidates: int
    reason: str
    previous_owner_id: str
    owner_id: str
    changed_at: _timestamp_pb2.Timestamp
    summary: str
    def __init__(self, lead_id: _Optional[str] = ..., assignment: _Optional[_Union[Assignment, _Mapping]] = ..., route_id: _Optional[str] = ..., route_name: _Optional[str] = ..., route_condition: _Optional[str] = ..., routes_version: _Optional[int] = ..., formula: _Optional[str] = ..., formula_version: _Optional[int] = ..., score: _Optional[float] = ..., terms: _Optional[_Iterable[_Union[FormulaTerm, _Mapping]]] = ..., runners_up: _Optional[_Iterable[_Union[Candidate, _Mapping]]] = ..., capacity: _Optional[int] = ..., open_leads: _Optional[int] = ..., change: _Optional[str] = ..., actor_id: _Optional[str] = ..., rank: _Optional[int] = ..., candidates: _Optional[int] = ..., reason: _Optional[str] = ..., previous_owner_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., summary: _Optional[str] = ...) -> None: ...

class GetExplanationRequest(_message.Message):
    __slots__ = ("lead_id",)
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    def __init__(self, lead_id: _Optional[str] = ...) -> None: ...

class GetExplanationResponse(_message.Message):
    __slots__ = ("explanation",)
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    explanation: Explanation
    def __init__(self, explanation: _Optional[_Union[Explanation, _Mapping]] = ...) -> None: ...

class ExplainPoolLeadRequest(_message.Message):
    __slots__ = ("lead_id", "rep_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    rep_id: str
    def __init__(self, lead_id: _Optional[str] = ..., rep_id: _Optional[str] = ...) -> None: ...

class ExplainPoolLeadResponse(_message.Message):
    __slots__ = ("lead_id", "rep_id", "route_id", "route_name", "route_condition", "routes_version", "rep_filter", "rep_filter_passed", "in_candidate_set", "formula", "formula_version", "terms", "score", "rank", "candidates", "capacity", "open_leads")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    REP_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTE_NAME_FIELD_NUMBER: _ClassVar[int]
    ROUTE_CONDITION_FIELD_NUMBER: _ClassVar[int]
    ROUTES_VERSION_FIELD_NUMBER: _ClassVar[int]
    REP_FILTER_FIELD_NUMBER: _ClassVar[int]
    REP_FILTER_PASSED_FIELD_NUMBER: _ClassVar[int]
    IN_CANDIDATE_SET_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    FORMULA_VERSION_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    OPEN_LEADS_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    rep_id: str
    route_id: str
    route_name: str
    route_condition: str
    routes_version: int
    rep_filter: str
    rep_filter_passed: bool
    in_candidate_set: bool
    formula: str
    formula_version: int
    terms: _containers.RepeatedCompositeFieldContainer[FormulaTerm]
    score: float
    rank: int
    candidates: int
    capacity: int
    open_leads: int
    def __init__(self, lead_id: _Optional[str] = ..., rep_id: _Optional[str] = ..., route_id: _Optional[str] = ..., route_name: _Optional[str] = ..., route_condition: _Optional[str] = ..., routes_version: _Optional[int] = ..., rep_filter: _Optional[str] = ..., rep_filter_passed: bool = ..., in_candidate_set: bool = ..., formula: _Optional[str] = ..., formula_version: _Optional[int] = ..., terms: _Optional[_Iterable[_Union[FormulaTerm, _Mapping]]] = ..., score: _Optional[float] = ..., rank: _Optional[int] = ..., candidates: _Optional[int] = ..., capacity: _Optional[int] = ..., open_leads: _Optional[int] = ...) -> None: ...
