"""Why a lead's owner changed: every change of owner (an assignment in any
mode, a release, an SLA reclaim, an intake by a rep, a conversion from the
pool) is recorded as an OwnerChange with the reason people read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm_shared.business_calendar import business_time

ASSIGNING = ("claim", "manager", "auto", "reroute")  # changes that store an assignment and its explanation
CHANGES = (*ASSIGNING, "release", "reclaim", "intake", "convert")


@dataclass(frozen=True)
class OwnerChange:
    change: str  # one of CHANGES
    lead_id: str
    actor_id: str
    at: datetime
    previous_owner_id: str | None
    owner_id: str | None
    reason: str = ""  # for a release or reclaim: why the lead went back to the pool
    score: float | None = None  # the new owner's score then
    rank: int = 0  # the new owner's place among the ranked candidates (1 = best); 0 = not among them
    candidates: int = 0
    assignment_id: str | None = None

    @property
    def summary(self) -> str:
        return summarise(self)

    def details(self) -> dict[str, Any]:
        return {"score": self.score, "rank": self.rank, "candidates": self.candidates, "summary": self.summary}


def rank_of(rep_id: str, ranked: Sequence[str]) -> tuple[int, int]:
    """The rep's place among the ranked candidates (best first; 1-based, 0
    when not among them) and how many there are."""
    return (ranked.index(rep_id) + 1 if rep_id in ranked else 0), len(ranked)


def _standing(c: OwnerChange) -> str:
    score = f"评分 {c.score:g}" if c.score is not None else "无评分"
    if c.rank:
        return f"{score}，在 {c.candidates} 位候选人中排第 {c.rank}"
    return f"{score}，不在路由的候选人之列" if c.candidates else score


def summarise(c: OwnerChange) -> str:
    """The change in one sentence, as the apps show it (times in Asia/Shanghai)."""
    when = business_time(c.at)
    owner, before = c.owner_id or "", c.previous_owner_id or "公海"
    match c.change:
        case "claim":
            return f"{owner} 于 {when} 从公海认领；{_standing(c)}"
        case "manager":
            return f"{c.actor_id} 于 {when} 指派给 {owner}（原为 {before}）；{owner} {_standing(c)}"
        case "auto":
            return f"{when} 按路由自动分配给 {owner}；{_standing(c)}"
        case "reroute":
            return f"{when} 收回后改派给 {owner}；{_standing(c)}"
        case "release":
            return f"{c.actor_id} 于 {when} 将线索从 {before} 释放回公海：{c.reason or '未说明原因'}"
        case "reclaim":
            return f"{when} 由系统从 {before} 收回公海：{c.reason}"
        case "intake":
            return f"{owner} 于 {when} 录入线索，归录入人所有"
        case "convert":
            return f"{owner} 于 {when} 将公海线索转化为商机，归转化人所有"
    return f"{when} {c.change}"
