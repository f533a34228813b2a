"""Customers, contacts and decision chains, private notes, activities (opportunity)."""

from fastapi import APIRouter

router = APIRouter()
