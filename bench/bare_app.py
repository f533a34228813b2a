"""The baseline for lead intake: a bare FastAPI endpoint that validates the
same body and answers, with no auth, gRPC, database or events."""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Lead(BaseModel):
    company_name: str
    phone: str = ""
    source: str = ""


@app.post("/v1/leads", status_code=201)
async def create(lead: Lead) -> dict:
    return {"lead_id": str(uuid.uuid4()), **lead.model_dump()}
