"""Tasks and opening opportunities (service_layer/tasks.py, opportunities.py), on fakes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, NotFound, PermissionDenied
from crm_shared.testing import DEFAULT_NOW
from opportunity.domain.pipeline import Gate, Pipeline, Stage
from opportunity.domain.task import Task
from opportunity.service_layer.opportunities import NewOpportunity, OpportunityHandlers
from opportunity.service_layer.tasks import TaskHandlers

from .fakes import FakeGates, FakeLocks, FakeTasks, fake_uow

TENANT = "t"
REP = Caller(TENANT, "rep-1", "rep")
TASK = Task("k-1", TENANT, "rep-1", "c-1", None, "dormant_30d", "唤醒", DEFAULT_NOW, "open", DEFAULT_NOW, "key")


async def test_the_owner_completes_an_open_task_once_and_nobody_else_sees_it() -> None:
    uow = fake_uow(tasks=FakeTasks([TASK]))
    handlers = TaskHandlers(lambda: uow)
    with pytest.raises(NotFound):
        await handlers.complete(Caller(TENANT, "rep-2", "rep"), "k-1")
    done = await handlers.complete(REP, "k-1")
    assert (done.state, done.completed_by, done.completed_at) == ("done", "rep-1", DEFAULT_NOW)
    assert uow.tasks.rows[(TENANT, "k-1")] == done and uow.committed
    with pytest.raises(FailedPrecondition):
        await handlers.complete(REP, "k-1")
    with pytest.raises(PermissionDenied):
        await handlers.complete(Caller(TENANT, "f", "finance"), "k-1")


async def test_opening_into_a_pipeline_applies_its_first_stages_gate_before_storing_anything() -> None:
    pipeline = Pipeline(
        "p-1",
        TENANT,
        "设备",
        "注塑机",
        (Stage("初步接触", 10, "pipeline", Gate(required_documents=("名片",))),),
        DEFAULT_NOW,
        DEFAULT_NOW,
    )
    uow = fake_uow()
    uow.pipelines.put(pipeline)
    gates = FakeGates()
    handlers = OpportunityHandlers(lambda: uow, gates, FakeLocks())
    cmd = NewOpportunity(
        customer_name="宁波注塑机厂", customer_credit_code="", name="二期", amount_minor=None, pipeline_id="p-1"
    )
    with pytest.raises(FailedPrecondition):
        await handlers.create(REP, cmd)
    assert (uow.customers.items(), uow.opportunities.items(), uow.published) == ([], [], [])
    gates.answer = replace(gates.answer, documents=frozenset({"名片"}))
    created = await handlers.create(REP, cmd)
    assert (created.opportunity.pipeline_id, created.opportunity.stage, created.opportunity.probability) == (
        "p-1",
        "初步接触",
        10,
    )
    assert [t for t, *_ in uow.published] == ["opportunity.created", "opportunity.stage_changed"]
    with pytest.raises(PermissionDenied):
        await handlers.create(REP, replace(cmd, owner_id="rep-2"))
