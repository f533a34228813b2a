"""Notifications for the apps (SSE) and the 企业微信 group robot."""

from fastapi import APIRouter

router = APIRouter()
