"""Promotion programmes and distributors' applications for them.

Publishers (admins; managers who are a distributor's channel manager) write
programmes; a partner reads the published ones and applies for its own
organisation (partner_distributor). An application commits first, with its
`promotion.application_submitted` event; approval is asked afterwards (no lock
held across the call) and a leased job submits again what a stop lost, finding
a submission that went through by the subject's latest request. The decision
comes back as `approval.decided` (subject_type promotion_application)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, TypeVar

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import promotion_pb2 as events
from crm_shared import roles
from crm_shared.approval_kinds import PROMOTION, PROMOTION_APPLICATION
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, DomainError, NotFound, PermissionDenied
from crm_shared.ids import new_id
from crm_shared.logs import get_logger
from crm_shared.notifications import publish_notification
from crm_shared.paging import decode_token, encode_token, page_size

from lead_routing.adapters.approvals import Approvals
from lead_routing.domain import promotion as rules
from lead_routing.domain.promotion import Application, ApplicationInput, Programme, TermsInput
from lead_routing.service_layer.partners import partner_distributor
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

UowFactory = Callable[[], LeadRoutingUnitOfWork]
log = get_logger("lead_routing.promotions")

# A submission not recorded this long after the application's last change is taken as lost (the job submits it).
LOST_AFTER = timedelta(seconds=20)
RESUBMIT_BATCH = 100


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_page_token: str


@dataclass(frozen=True)
class Decision:
    approval_id: str
    application_id: str
    decision: str
    comment: str


class PromotionHandlers:
    def __init__(self, uow: UowFactory, approvals: Approvals) -> None:
        self.uow = uow
        self.approvals = approvals

    # --- programmes -------------------------------------------------------------

    async def create_programme(self, caller: Caller, terms: TermsInput, status: str) -> Programme:
        caller.require_role(*rules.PUBLISHERS)
        made = rules.terms(terms)
        async with self.uow() as uow:
            await _require_publisher(uow, caller)
            programme = rules.new_programme(new_id(), caller.tenant_id, made, status, caller.user_id, uow.clock.now())
            await uow.promotion_programmes.add(programme)
            await _programme_changed(uow, programme, caller.user_id)
            await uow.commit()
        return programme

    async def update_programme(
        self, caller: Caller, programme_id: str, terms: TermsInput, status: str, version: int
    ) -> Programme:
        caller.require_role(*rules.PUBLISHERS)
        made = rules.terms(terms)
        async with self.uow() as uow:
            await _require_publisher(uow, caller)
            before = await uow.promotion_programmes.get(caller.tenant_id, programme_id.strip())
            if before is None:
                raise NotFound(f"programme {programme_id} not found")
            changed = rules.changed_programme(before, made, status, version, uow.clock.now())
            if not await uow.promotion_programmes.save(changed, before=before):
                raise Conflict(f"programme {programme_id} changed meanwhile; read it again")
            await _programme_changed(uow, changed, caller.user_id)
            await uow.commit()
        return changed

    async def get_programme(self, caller: Caller, programme_id: str) -> Programme:
        caller.require_role(*rules.PUBLISHERS, *rules.APPLICANTS, roles.SYSTEM)
        async with self.uow().reading() as uow:
            if caller.role == roles.PARTNER:
                await partner_distributor(uow, caller)
            programme = await uow.promotion_programmes.get(caller.tenant_id, programme_id.strip())
        if programme is None or not rules.may_see_programme(caller, programme):
            raise NotFound(f"programme {programme_id} not found")
        return programme

    async def list_programmes(self, caller: Caller, status: str, size: int, token: str) -> Page[Programme]:
        caller.require_role(*rules.PUBLISHERS, *rules.APPLICANTS, roles.SYSTEM)
        states = rules.visible_states(caller, status.strip())
        limit, after = page_size(size), decode_token(token)
        async with self.uow().reading() as uow:
            if caller.role == roles.PARTNER:
                await partner_distributor(uow, caller)
            found = (
                await uow.promotion_programmes.list(caller.tenant_id, states=states, limit=limit + 1, after=after)
                if states
                else []
            )
        return _page(found, limit, lambda p: encode_token(p.created_at, p.programme_id))

    # --- applications -------------------------------------------------------------

    async def submit_application(self, caller: Caller, cmd: ApplicationInput) -> Application:
        caller.require_role(*rules.APPLICANTS)
        async with self.uow() as uow:
            distributor = await partner_distributor(uow, caller)
            programme = await uow.promotion_programmes.get(caller.tenant_id, cmd.programme_id.strip())
            if programme is None or not rules.may_see_programme(caller, programme):
                raise NotFound(f"programme {cmd.programme_id} not found")
            registration_id = cmd.registration_id.strip()
            registration = await uow.registrations.get(caller.tenant_id, registration_id) if registration_id else None
            app = rules.new_application(
                cmd,
                application_id=new_id(),
                programme=programme,
                distributor_id=distributor.distributor_id,
                applicant_id=caller.user_id,
                registration=registration,
                now=uow.clock.now(),
            )
            others = await uow.promotion_applications.of_programme(
                caller.tenant_id, programme.programme_id, distributor.distributor_id
            )
            rules.refuse_repeat(app, others)
            await uow.promotion_applications.add(app)
            await uow.publish(
                "promotion.application_submitted",
                app.tenant_id,
                app.application_id,
                events.PromotionApplicationSubmitted(
                    application_id=app.application_id,
                    programme_id=app.programme_id,
                    distributor_id=app.distributor_id,
                    applicant_id=app.applicant_id,
                    registration_id=app.registration_id,
                    amount_asked=Money(amount_minor=app.amount_asked_minor, currency=app.currency),
                ),
            )
            await uow.commit()
        # After the commit: approval may ask lead-routing about this application, which must exist by then.
        submitted = await self._submit(app, distributor.name, distributor.channel_manager_id)
        return rules.as_seen_by(caller, submitted or app)

    async def get_application(self, caller: Caller, application_id: str) -> Application:
        caller.require_role(*rules.APPLICATION_READERS, *rules.APPLICANTS)
        async with self.uow().reading() as uow:
            if caller.role == roles.PARTNER:
                await partner_distributor(uow, caller)
            app = await uow.promotion_applications.get(caller.tenant_id, application_id.strip())
            manager = await _channel_manager(uow, app) if app and caller.role == roles.MANAGER else ""
        if app is None or not rules.may_read_application(caller, app, manager):
            raise NotFound(f"promotion application {application_id} not found")
        return rules.as_seen_by(caller, app)

    async def list_applications(
        self, caller: Caller, programme_id: str, status: str, distributor_id: str, size: int, token: str
    ) -> Page[Application]:
        caller.require_role(*rules.APPLICATION_READERS, *rules.APPLICANTS)
        status = rules.check_listing_state(status)
        limit, after = page_size(size), decode_token(token)
        async with self.uow().reading() as uow:
            scope = await _distributor_scope(uow, caller, distributor_id.strip())
            found = (
                await uow.promotion_applications.list(
                    caller.tenant_id,
                    distributor_ids=scope,
                    programme_id=programme_id.strip(),
                    status=status,
                    limit=limit + 1,
                    after=after,
                )
                if scope is None or scope
                else []
            )
        page = _page(found, limit, lambda a: encode_token(a.created_at, a.application_id))
        return Page([rules.as_seen_by(caller, a) for a in page.items], page.next_page_token)

    # --- approval ------------------------------------------------------------------

    async def _submit(
        self, app: Application, distributor_name: str, channel_manager_id: str, *, again: bool = False
    ) -> Application | None:
        """Ask approval for the application and record the request; None when
        that did not happen now (the job tries again). `again`: a submission
        may have gone through before a stop, so approval is asked for the
        subject's latest request first."""
        reason, facts = rules.approval_facts(app, distributor_name, channel_manager_id)
        try:
            latest = (
                await self.approvals.latest(app.tenant_id, PROMOTION_APPLICATION, app.application_id, PROMOTION)
                if again
                else None
            )
            approval_id = latest.approval_id if latest else ""
            if not approval_id:
                approval_id = await self.approvals.submit(
                    app.tenant_id, PROMOTION_APPLICATION, app.application_id, PROMOTION, reason, facts
                )
        except DomainError as error:
            log.warning(
                "promotion application not submitted to approval yet",
                application=app.application_id,
                error=error.message,
            )
            return None
        async with self.uow() as uow:
            current = await uow.promotion_applications.get(app.tenant_id, app.application_id)
            if current is None or current.approval_id or current.status != rules.SUBMITTED:
                return current
            recorded = rules.with_approval(current, approval_id, uow.clock.now())
            if not await uow.promotion_applications.save(recorded, before=current):
                return None
            await uow.commit()
        return recorded

    async def submit_lost(self) -> None:
        """Leased job: submit the applications whose approval a stop lost."""
        async with self.uow().reading() as uow:
            waiting = await uow.promotion_applications.awaiting_submission(uow.clock.now() - LOST_AFTER, RESUBMIT_BATCH)
            owed = []
            for app in waiting:
                distributor = await uow.distributors.get(app.tenant_id, app.distributor_id)
                owed.append(
                    (
                        app,
                        distributor.name if distributor else app.distributor_id,
                        distributor.channel_manager_id if distributor else "",
                    )
                )
        for app, name, manager in owed:
            await self._submit(app, name, manager, again=True)

    async def approval_decided(self, uow: LeadRoutingUnitOfWork, tenant_id: str, made: Decision) -> None:
        """Consumer of approval.decided for promotion applications (inside the
        consumer's unit of work; a redelivery changes nothing)."""
        app = await uow.promotion_applications.get(tenant_id, made.application_id)
        if app is None:
            log.warning("decision on an unknown promotion application", application=made.application_id)
            return
        decided = rules.decided(app, made.approval_id, made.decision, made.comment, uow.clock.now())
        if decided is None:
            return
        if not await uow.promotion_applications.save(decided, before=app):
            raise Conflict(f"promotion application {app.application_id} changed meanwhile")  # redelivered, retried
        await _tell_partners(uow, decided)
        await uow.publish(
            "promotion.application_decided",
            tenant_id,
            decided.application_id,
            events.PromotionApplicationDecided(
                application_id=decided.application_id,
                programme_id=decided.programme_id,
                distributor_id=decided.distributor_id,
                decision=decided.decision,
                comment=decided.decision_comment,
                approval_id=decided.approval_id,
            ),
        )


async def _tell_partners(uow: LeadRoutingUnitOfWork, app: Application) -> None:
    """The distributor's partner users (the applicant among them), each once: the decision and its public comment."""
    distributor = await uow.distributors.get(app.tenant_id, app.distributor_id)
    users = dict.fromkeys(u for u in (*(distributor.users if distributor else ()), app.applicant_id) if u)
    verdict = "已通过" if app.status == rules.APPROVED else "被驳回"
    for user in users:
        await publish_notification(
            uow,
            app.tenant_id,
            user,
            f"promotion_application_{app.status}",
            f"促销申报{verdict}：{app.programme_name}",
            app.decision_comment,
            subject_type=PROMOTION_APPLICATION,
            subject_id=app.application_id,
        )


async def _require_publisher(uow: LeadRoutingUnitOfWork, caller: Caller) -> None:
    """Admins publish; a manager only while channel manager of one of the tenant's distributors."""
    if caller.role == roles.ADMIN:
        return
    if not await uow.distributors.list(caller.tenant_id, channel_manager_id=caller.user_id):
        raise PermissionDenied(
            f"{caller.user_id} is no distributor's channel manager; only they and admins publish promotions"
        )


async def _channel_manager(uow: LeadRoutingUnitOfWork, app: Application) -> str:
    distributor = await uow.distributors.get(app.tenant_id, app.distributor_id)
    return distributor.channel_manager_id if distributor else ""


async def _distributor_scope(uow: LeadRoutingUnitOfWork, caller: Caller, asked: str) -> list[str] | None:
    """The distributors whose applications a listing may show (None: every one of the tenant)."""
    if caller.role == roles.PARTNER:
        own = (await partner_distributor(uow, caller)).distributor_id
        return [own] if asked in ("", own) else []
    if caller.role == roles.MANAGER:
        managed = [
            d.distributor_id for d in await uow.distributors.list(caller.tenant_id, channel_manager_id=caller.user_id)
        ]
        return [d for d in managed if d == asked] if asked else managed
    return [asked] if asked else None


async def _programme_changed(uow: LeadRoutingUnitOfWork, p: Programme, by: str) -> None:
    await uow.publish(
        "promotion.programme_changed",
        p.tenant_id,
        p.programme_id,
        events.PromotionProgrammeChanged(
            programme_id=p.programme_id,
            name=p.terms.name,
            status=p.status,
            starts_on=p.terms.starts_on.isoformat(),
            ends_on=p.terms.ends_on.isoformat(),
            changed_by=by,
        ),
    )


def _page(found: list[T], limit: int, token_of: Callable[[T], str]) -> Page[T]:
    items = found[:limit]
    return Page(items, token_of(items[-1]) if len(found) > limit and items else "")
