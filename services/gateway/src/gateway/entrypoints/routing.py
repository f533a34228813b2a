"""Routing rules, scoring formulas, reps, the pool and assignment (lead-routing)."""

from fastapi import APIRouter

router = APIRouter()
