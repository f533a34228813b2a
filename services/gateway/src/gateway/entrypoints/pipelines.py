"""Pipelines, stages and gates, the board, tasks (opportunity)."""

from fastapi import APIRouter

router = APIRouter()
