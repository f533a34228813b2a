"""The home page of each role: where their day starts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from web.nav import nav_for
from web.session import Session, session
from web.templating import render

router = APIRouter()

# What each role's home offers first (paths of web.nav), with the sentence saying why.
HOME_CARDS: dict[str, tuple[tuple[str, str], ...]] = {
    "rep": (
        ("/leads", "Your leads: touch the new ones before their first-touch deadline."),
        ("/pool", "The pool, best matches for you first, with why."),
        ("/tasks", "Follow-ups and tasks due."),
        ("/visits/new", "Log a visit with check-in location and photo."),
        ("/board", "Your opportunities by stage."),
    ),
    "manager": (
        ("/board", "The team's pipeline: drag a deal to its next stage."),
        ("/approvals", "Approvals waiting for you, most urgent first."),
        ("/dashboard", "Totals of the board per stage."),
        ("/routing", "Routing rules and the scoring formula."),
        ("/pool", "The pool and batch assignment."),
    ),
    "finance": (
        ("/finance/matching", "Match suggestions to confirm or reject."),
        ("/finance/statements", "Import a bank statement."),
        ("/finance/aging", "Receivables aging, overdue in red."),
        ("/approvals", "Approvals waiting for you."),
    ),
    "reviewer": (
        ("/approvals", "Approvals waiting for you, most urgent first."),
        ("/customers", "Customers and their documents."),
    ),
    "admin": (
        ("/routing", "Routing rules and the scoring formula."),
        ("/approvals", "Approvals."),
        ("/board", "Every pipeline."),
        ("/finance/aging", "Receivables aging."),
    ),
    "partner": (
        ("/partner/registrations", "Register an end customer and follow its protection."),
        ("/partner/promotions", "Apply for promotions."),
        ("/partner/rebates", "Your rebate progress toward the next tier."),
    ),
}


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def home(request: Request, s: Annotated[Session, Depends(session)]) -> HTMLResponse:
    labels = {item.path: item.label for item in nav_for(s.role)}
    cards = [(path, labels.get(path, path), why) for path, why in HOME_CARDS.get(s.role, ()) if path in labels]
    return render(request, "home/home.html", {"cards": cards})
