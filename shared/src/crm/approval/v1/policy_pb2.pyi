import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ApproverRule(_message.Message):
    __slots__ = ("kind", "value", "level")
    KIND_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    kind: str
    value: str
    level: int
    def __init__(self, kind: _Optional[str] = ..., value: _Optional[str] = ..., level: _Optional[int] = ...) -> None: ...

class SlaRule(_message.Message):
    __slots__ = ("impact", "working_minutes", "reminders", "outcome", "target")
    IMPACT_FIELD_NUMBER: _ClassVar[int]
    WORKING_MINUTES_FIELD_NUMBER: _ClassVar[int]
    REMINDERS_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    impact: str
    working_minutes: int
    reminders: int
    outcome: str
    target: ApproverRule
    def __init__(self, impact: _Optional[str] = ..., working_minutes: _Optional[int] = ..., reminders: _Optional[int] = ..., outcome: _Optional[str] = ..., target: _Optional[_Union[ApproverRule, _Mapping]] = ...) -> None: ...

class PolicyStep(_message.Message):
    __slots__ = ("step_id", "name", "approvers", "mode", "k", "ratio_percent", "veto", "on_reject", "send_back_to", "sla")
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    APPROVERS_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    K_FIELD_NUMBER: _ClassVar[int]
    RATIO_PERCENT_FIELD_NUMBER: _ClassVar[int]
    VETO_FIELD_NUMBER: _ClassVar[int]
    ON_REJECT_FIELD_NUMBER: _ClassVar[int]
    SEND_BACK_TO_FIELD_NUMBER: _ClassVar[int]
    SLA_FIELD_NUMBER: _ClassVar[int]
    step_id: str
    name: str
    approvers: ApproverRule
    mode: str
    k: int
    ratio_percent: int
    veto: bool
    on_reject: str
    send_back_to: str
    sla: _containers.RepeatedCompositeFieldContainer[SlaRule]
    def __init__(self, step_id: _Optional[str] = ..., name: _Optional[str] = ..., approvers: _Optional[_Union[ApproverRule, _Mapping]] = ..., mode: _Optional[str] = ..., k: _Optional[int] = ..., ratio_percent: _Optional[int] = ..., veto: bool = ..., on_reject: _Optional[str] = ..., send_back_to: _Optional[str] = ..., sla: _Optional[_Iterable[_Union[SlaRule, _Mapping]]] = ...) -> None: ...

class PolicyStage(_message.Message):
    __slots__ = ("stage_id", "name", "steps")
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    stage_id: str
    name: str
    steps: _containers.RepeatedCompositeFieldContainer[PolicyStep]
    def __init__(self, stage_id: _Optional[str] = ..., name: _Optional[str] = ..., steps: _Optional[_Iterable[_Union[PolicyStep, _Mapping]]] = ...) -> None: ...

class PolicySpec(_message.Message):
    __slots__ = ("kind", "name", "position", "criteria", "is_default", "stages", "locked_fields", "skip_repeat_approvers", "allow_batch", "recall_while", "fallback_user")
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    LOCKED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    SKIP_REPEAT_APPROVERS_FIELD_NUMBER: _ClassVar[int]
    ALLOW_BATCH_FIELD_NUMBER: _ClassVar[int]
    RECALL_WHILE_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_USER_FIELD_NUMBER: _ClassVar[int]
    kind: str
    name: str
    position: int
    criteria: str
    is_default: bool
    stages: _containers.RepeatedCompositeFieldContainer[PolicyStage]
    locked_fields: _containers.RepeatedScalarFieldContainer[str]
    skip_repeat_approvers: bool
    allow_batch: bool
    recall_while: str
    fallback_user: str
    def __init__(self, kind: _Optional[str] = ..., name: _Optional[str] = ..., position: _Optional[int] = ..., criteria: _Optional[str] = ..., is_default: bool = ..., stages: _Optional[_Iterable[_Union[PolicyStage, _Mapping]]] = ..., locked_fields: _Optional[_Iterable[str]] = ..., skip_repeat_approvers: bool = ..., allow_batch: bool = ..., recall_while: _Optional[str] = ..., fallback_user: _Optional[str] = ...) -> None: ...

class ApprovalPolicy(_message.Message):
    __slots__ = ("policy_id", "version", "spec", "active", "updated_by", "updated_at")
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    policy_id: str
    version: int
    spec: PolicySpec
    active: bool
    updated_by: str
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, policy_id: _Optional[str] = ..., version: _Optional[int] = ..., spec: _Optional[_Union[PolicySpec, _Mapping]] = ..., active: bool = ..., updated_by: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PolicyVersion(_message.Message):
    __slots__ = ("policy", "action", "comment", "changed_by", "changed_at")
    POLICY_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    policy: ApprovalPolicy
    action: str
    comment: str
    changed_by: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, policy: _Optional[_Union[ApprovalPolicy, _Mapping]] = ..., action: _Optional[str] = ..., comment: _Optional[str] = ..., changed_by: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreatePolicyRequest(_message.Message):
    __slots__ = ("spec", "comment")
    SPEC_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    spec: PolicySpec
    comment: str
    def __init__(self, spec: _Optional[_Union[PolicySpec, _Mapping]] = ..., comment: _Optional[str] = ...) -> None: ...

class CreatePolicyResponse(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: ApprovalPolicy
    def __init__(self, policy: _Optional[_Union[ApprovalPolicy, _Mapping]] = ...) -> None: ...

class UpdatePolicyRequest(_message.Message):
    __slots__ = ("policy_id", "expected_version", "spec", "comment")
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    policy_id: str
    expected_version: int
    spec: PolicySpec
    comment: str
    def __init__(self, policy_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., spec: _Optional[_Union[PolicySpec, _Mapping]] = ..., comment: _Optional[str] = ...) -> None: ...

class UpdatePolicyResponse(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: ApprovalPolicy
    def __init__(self, policy: _Optional[_Union[ApprovalPolicy, _Mapping]] = ...) -> None: ...

class DeletePolicyRequest(_message.Message):
    __slots__ = ("policy_id", "comment")
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    policy_id: str
    comment: str
    def __init__(self, policy_id: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class DeletePolicyResponse(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: ApprovalPolicy
    def __init__(self, policy: _Optional[_Union[ApprovalPolicy, _Mapping]] = ...) -> None: ...

class GetPolicyRequest(_message.Message):
    __slots__ = ("policy_id", "version")
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    policy_id: str
    version: int
    def __init__(self, policy_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetPolicyResponse(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: ApprovalPolicy
    def __init__(self, policy: _Optional[_Union[ApprovalPolicy, _Mapping]] = ...) -> None: ...

class ListPoliciesRequest(_message.Message):
    __slots__ = ("kind",)
    KIND_FIELD_NUMBER: _ClassVar[int]
    kind: str
    def __init__(self, kind: _Optional[str] = ...) -> None: ...

class ListPoliciesResponse(_message.Message):
    __slots__ = ("policies",)
    POLICIES_FIELD_NUMBER: _ClassVar[int]
    policies: _containers.RepeatedCompositeFieldContainer[ApprovalPolicy]
    def __init__(self, policies: _Optional[_Iterable[_Union[ApprovalPolicy, _Mapping]]] = ...) -> None: ...

class ListPolicyVersionsRequest(_message.Message):
    __slots__ = ("policy_id",)
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    policy_id: str
    def __init__(self, policy_id: _Optional[str] = ...) -> None: ...

class ListPolicyVersionsResponse(_message.Message):
    __slots__ = ("versions",)
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[PolicyVersion]
    def __init__(self, versions: _Optional[_Iterable[_Union[PolicyVersion, _Mapping]]] = ...) -> None: ...

class ListPolicyAuditRequest(_message.Message):
    __slots__ = ("page_size", "kind")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    kind: str
    def __init__(self, page_size: _Optional[int] = ..., kind: _Optional[str] = ...) -> None: ...

class PolicyAuditEntry(_message.Message):
    __slots__ = ("policy_id", "kind", "name", "version", "action", "comment", "changed_by", "changed_at")
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    policy_id: str
    kind: str
    name: str
    version: int
    action: str
    comment: str
    changed_by: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, policy_id: _Optional[str] = ..., kind: _Optional[str] = ..., name: _Optional[str] = ..., version: _Optional[int] = ..., action: _Optional[str] = ..., comment: _Optional[str] = ..., changed_by: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListPolicyAuditResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[PolicyAuditEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[PolicyAuditEntry, _Mapping]]] = ...) -> None: ...

class CheckPolicyRequest(_message.Message):
    __slots__ = ("spec",)
    SPEC_FIELD_NUMBER: _ClassVar[int]
    spec: PolicySpec
    def __init__(self, spec: _Optional[_Union[PolicySpec, _Mapping]] = ...) -> None: ...

class CheckPolicyResponse(_message.Message):
    __slots__ = ("spec", "fields")
    SPEC_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    spec: PolicySpec
    fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, spec: _Optional[_Union[PolicySpec, _Mapping]] = ..., fields: _Optional[_Iterable[str]] = ...) -> None: ...

class DryRunPolicyRequest(_message.Message):
    __slots__ = ("kind", "facts", "subject_type", "subject_id", "requester_id", "draft", "replaces_policy_id")
    class FactsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    KIND_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_ID_FIELD_NUMBER: _ClassVar[int]
    DRAFT_FIELD_NUMBER: _ClassVar[int]
    REPLACES_POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    kind: str
    facts: _containers.ScalarMap[str, str]
    subject_type: str
    subject_id: str
    requester_id: str
    draft: PolicySpec
    replaces_policy_id: str
    def __init__(self, kind: _Optional[str] = ..., facts: _Optional[_Mapping[str, str]] = ..., subject_type: _Optional[str] = ..., subject_id: _Optional[str] = ..., requester_id: _Optional[str] = ..., draft: _Optional[_Union[PolicySpec, _Mapping]] = ..., replaces_policy_id: _Optional[str] = ...) -> None: ...

class DryRunStep(_message.Message):
    __slots__ = ("stage_id", "step_id", "name", "approvers", "note")
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    APPROVERS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    stage_id: str
    step_id: str
    name: str
    approvers: _containers.RepeatedCompositeFieldContainer[DryRunApprover]
    note: str
    def __init__(self, stage_id: _Optional[str] = ..., step_id: _Optional[str] = ..., name: _Optional[str] = ..., approvers: _Optional[_Iterable[_Union[DryRunApprover, _Mapping]]] = ..., note: _Optional[str] = ...) -> None: ...

class DryRunApprover(_message.Message):
    __slots__ = ("user_id", "deputy_for")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    DEPUTY_FOR_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    deputy_for: str
    def __init__(self, user_id: _Optional[str] = ..., deputy_for: _Optional[str] = ...) -> None: ...

class TriedPolicy(_message.Message):
    __slots__ = ("policy_id", "name", "version", "position", "criteria", "outcome", "detail")
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    policy_id: str
    name: str
    version: int
    position: int
    criteria: str
    outcome: str
    detail: str
    def __init__(self, policy_id: _Optional[str] = ..., name: _Optional[str] = ..., version: _Optional[int] = ..., position: _Optional[int] = ..., criteria: _Optional[str] = ..., outcome: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

class DryRunPolicyResponse(_message.Message):
    __slots__ = ("policy", "reason", "builtin", "tried", "facts", "steps")
    POLICY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    BUILTIN_FIELD_NUMBER: _ClassVar[int]
    TRIED_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    policy: ApprovalPolicy
    reason: str
    builtin: bool
    tried: _containers.RepeatedCompositeFieldContainer[TriedPolicy]
    facts: _containers.RepeatedCompositeFieldContainer[PolicyFact]
    steps: _containers.RepeatedCompositeFieldContainer[DryRunStep]
    def __init__(self, policy: _Optional[_Union[ApprovalPolicy, _Mapping]] = ..., reason: _Optional[str] = ..., builtin: bool = ..., tried: _Optional[_Iterable[_Union[TriedPolicy, _Mapping]]] = ..., facts: _Optional[_Iterable[_Union[PolicyFact, _Mapping]]] = ..., steps: _Optional[_Iterable[_Union[DryRunStep, _Mapping]]] = ...) -> None: ...

class PolicyFact(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
