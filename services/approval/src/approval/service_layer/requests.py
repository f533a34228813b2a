"""The requester's and readers' use cases: submit, read (with tasks and the
history timeline), the latest of a subject, recall (撤回), remind (催办),
copy (抄送), comment, resubmit after a send-back.

Who may ask follows who may write the subject, as opportunity decides
(crm_shared.subject_access); who may read follows who may see the subject,
or a place on the request (an approver's task, a copy, the requester), so a
技术部 approver reads what they are asked about. Checked before the unit of
work opens, so no transaction waits on another service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

from crm_shared.approval_kinds import KIND_LABELS
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, InvalidArgument, NotFound
from crm_shared.ids import new_id
from crm_shared.subject_access import SubjectAccess

from approval.adapters.documents import DocumentVersions, VersionInfo
from approval.domain import actions
from approval.domain import facts as fact_names
from approval.domain.approval import (
    READERS,
    ApprovalRequest,
    ApprovalTask,
    HistoryEntry,
    Resubmission,
    Submission,
    check_requester,
    refuse_second_request,
    validate_note,
    validate_resubmission,
    validate_subject,
    validate_submission,
)
from approval.domain.engine import Run
from approval.domain.sla import ReviewDays
from approval.service_layer.facts import Facts
from approval.service_layer.policies import choose_policy
from approval.service_layer.running import Engine

MAX_ATTACHMENTS = 10


@dataclass(frozen=True)
class Detail:
    request: ApprovalRequest
    tasks: list[ApprovalTask]
    history: list[HistoryEntry]


class RequestHandlers:
    def __init__(self, engine: Engine, access: SubjectAccess, documents: DocumentVersions, facts: Facts,
                 remind_every: timedelta = actions.REMIND_EVERY, review: ReviewDays | None = None) -> None:
        self.engine = engine
        self.review = review or ReviewDays()
        self.uow = engine.uow
        self.access = access
        self.documents = documents
        self.facts = facts
        self.remind_every = remind_every

    # ------------------------------------------------------------ submit
    async def submit(self, caller: Caller, s: Submission) -> ApprovalRequest:
        check_requester(caller, s.subject_type)
        validate_submission(s)
        s = replace(s, kind=s.kind.strip(), subject_type=s.subject_type.strip(), subject_id=s.subject_id.strip())
        given = _given(s)
        await self.access.require(caller, s.subject_type, s.subject_id, write=True)
        version = await self._document(caller, s.subject_type, s.subject_id, s.document_version_id,
                                       s.document_sha256)
        facts = await self.facts.collect(caller, s.kind, s.subject_type, s.subject_id, given)
        async with self.uow() as uow:
            policy = await choose_policy(uow, caller.tenant_id, s.kind, facts, self.review_minutes(caller.tenant_id))
            refuse_second_request(await uow.approvals.pending_for(caller.tenant_id, s.subject_type, s.subject_id,
                                                                  s.kind))
            now = uow.clock.now()
            request = ApprovalRequest(
                approval_id=new_id(), tenant_id=caller.tenant_id, kind=s.kind, subject_type=s.subject_type,
                subject_id=s.subject_id, title=s.title.strip() or KIND_LABELS.get(s.kind, s.kind),  # named by its kind
                facts={k: str(v) for k, v in facts.items() if v is not None and v != ""},
                impact_scope=str(facts.get(fact_names.IMPACT) or ""),
                amount_minor=int(facts.get(fact_names.AMOUNT_MINOR) or 0),  # type: ignore[call-overload]
                currency=str(facts.get(fact_names.CURRENCY) or "CNY"),
                document_version_id=s.document_version_id.strip() or None,
                document_sha256=version.sha256 if version else "", document_id=version.document_id if version else None,
                policy=policy, status="pending", stale=False, current_stage=0, round=1,
                locked_fields=tuple(policy.locked_fields), requested_by=caller.user_id, requested_at=now,
                decided_at=None, decided_by="", decision_comment="", channel=s.channel.strip(),
                version=0,
            )
            run = self.engine.run(uow, request, [], caller.user_id, s.channel)
            run.note("submitted", comment=request.title, policy=policy.name, policy_version=policy.version,
                     document_version=request.document_version_id, sha256=request.document_sha256)
            actions.copy_in(run, s.cc_users, "")
            run.emit("approval.requested", **actions.requested_fields(run.request))
            run.stage_to_start = 0
            if not await self.engine.persist(uow, run, None):
                # A concurrent submit for this subject and kind committed between our check and insert.
                refuse_second_request(await uow.approvals.pending_for(caller.tenant_id, s.subject_type,
                                                                      s.subject_id, s.kind))
                raise Conflict(f"another request for this {s.subject_type} came and went meanwhile; try again")
            await uow.commit()
        return run.request

    def review_minutes(self, tenant_id: str) -> int:
        """The working minutes a channel manager has for a partner's request (the built-in policies' SLA)."""
        return self.review.working_minutes(tenant_id, self.engine.calendar)

    # ------------------------------------------------------------ reading
    async def get(self, caller: Caller, approval_id: str) -> Detail:
        request = await self.readable(caller, approval_id)
        async with self.uow() as uow:
            tasks = await uow.approvals.tasks_of(caller.tenant_id, approval_id)
            history = await uow.approvals.history_of(caller.tenant_id, approval_id)
        return Detail(request, tasks, history)

    async def latest(self, caller: Caller, subject_type: str, subject_id: str, kind: str = "") -> ApprovalRequest | None:
        caller.require_role(*READERS)
        validate_subject(subject_type, subject_id, kind)
        await self.access.require(caller, subject_type.strip(), subject_id.strip())
        async with self.uow() as uow:
            return await uow.approvals.latest_for(caller.tenant_id, subject_type.strip(), subject_id.strip(),
                                                  kind.strip())

    async def readable(self, caller: Caller, approval_id: str) -> ApprovalRequest:
        """The request if the caller may see it; one they may not reads as missing."""
        caller.require_role(*READERS)
        missing = f"approval {approval_id} not found"
        async with self.uow() as uow:
            request = await uow.approvals.get(caller.tenant_id, approval_id)
            placed = request is not None and (
                caller.user_id in (request.requested_by, *request.cc_users)
                or await uow.approvals.holds_place(caller.tenant_id, approval_id, caller.user_id)
            )
        if request is None:
            raise NotFound(missing)
        if not placed:
            await self.access.require(caller, request.subject_type, request.subject_id, missing=missing)
        return request

    # ------------------------------------------------------------ the requester's actions
    async def recall(self, caller: Caller, approval_id: str, comment: str, channel: str) -> ApprovalRequest:
        validate_note(comment, channel)
        await self.readable(caller, approval_id)
        run = await self.engine.act(caller.tenant_id, approval_id, caller.user_id, channel,
                                    lambda run: actions.recall(run, comment.strip()))
        return run.request

    async def remind(self, caller: Caller, approval_id: str, comment: str, channel: str) -> list[str]:
        """催办: the approvers now asked are reminded, at most once per `remind_every` per request."""
        validate_note(comment, channel)
        await self.readable(caller, approval_id)
        reminded: list[str] = []

        def remind(run: Run) -> None:
            reminded[:] = actions.remind(run, comment.strip(), self.remind_every)

        await self.engine.act(caller.tenant_id, approval_id, caller.user_id, channel, remind)
        return reminded

    async def copy(self, caller: Caller, approval_id: str, users: tuple[str, ...], comment: str, channel: str) -> list[str]:
        """抄送: read access and a notification, no task (domain/actions.copy_in says who may)."""
        validate_note(comment, channel, users=users)
        if not users:
            raise InvalidArgument.field("users", "name at least one user to copy")
        await self.readable(caller, approval_id)
        run = await self.engine.act(caller.tenant_id, approval_id, caller.user_id, channel,
                                    lambda run: actions.copy_in(run, users, comment.strip()))
        return list(run.request.cc_users)

    async def comment(self, caller: Caller, approval_id: str, comment: str, attachments: tuple[str, ...],
                      channel: str) -> HistoryEntry:
        validate_note(comment, channel)
        if not comment.strip() and not attachments:
            raise InvalidArgument.field("comment", "is required (or attach a document version)")
        if len(attachments) > MAX_ATTACHMENTS or any(not a.strip() or len(a) > 64 for a in attachments):
            raise InvalidArgument.field("attachment_version_ids", f"at most {MAX_ATTACHMENTS} ids of 1 to 64 characters")
        request = await self.readable(caller, approval_id)
        for version_id in attachments:
            await self._document(caller, request.subject_type, request.subject_id, version_id.strip(), "",
                                 field="attachment_version_ids")
        run = await self.engine.act(
            caller.tenant_id, approval_id, caller.user_id, channel,
            lambda run: run.note("commented", comment=comment.strip(),
                                 attachments=",".join(a.strip() for a in attachments)),
        )
        return run.history[-1]

    async def resubmit(self, caller: Caller, approval_id: str, change: Resubmission) -> ApprovalRequest:
        """After a send-back to the requester: the same policy runs again from its first stage."""
        validate_resubmission(change)
        request = await self.readable(caller, approval_id)
        version: VersionInfo | None = None
        if change.document_version_id.strip():
            version = await self._document(caller, request.subject_type, request.subject_id,
                                           change.document_version_id.strip(), change.document_sha256)
        document = (change.document_version_id.strip(), version.sha256, version.document_id) if version else None

        async def check(uow, run: Run) -> None:
            pending = await uow.approvals.pending_for(caller.tenant_id, request.subject_type, request.subject_id,
                                                      request.kind)
            if pending is not None and pending.approval_id != approval_id:
                refuse_second_request(pending)

        run = await self.engine.act(caller.tenant_id, approval_id, caller.user_id, change.channel,
                                    lambda run: actions.resubmit(run, change, document), check)
        return run.request

    async def _document(self, caller: Caller, subject_type: str, subject_id: str, version_id: str, sha256: str,
                        field: str = "document_version_id") -> VersionInfo | None:
        if not version_id.strip():
            return None
        version = await self.documents.version_of(caller.tenant_id, version_id.strip())
        if version is None or not version.belongs_to(subject_type, subject_id):
            raise InvalidArgument.field(field, f"is not a version of a document of this {subject_type}")
        if sha256.strip() and sha256.strip().lower() != version.sha256:
            raise InvalidArgument.field("document_sha256", f"is not the sha256 of version {version_id.strip()}")
        return version


def _given(s: Submission) -> Mapping[str, str | int]:
    given: dict[str, str | int] = dict(s.given)
    if s.subject_type == "opportunity":
        for key in ("amount_minor", fact_names.AMOUNT):
            if key in given:
                raise InvalidArgument.field(f"given.{key}", "an opportunity's amount is read from the opportunity")
    fact_names.refuse_partner_facts(s.subject_type, given)
    if s.impact_scope.strip():
        given["impact_scope"] = s.impact_scope.strip()
    if s.discount_percent:
        given["discount"] = s.discount_percent
    return given
