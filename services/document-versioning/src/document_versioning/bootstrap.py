"""The only place document-versioning is wired together."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from crm.document_versioning.v1 import (
    content_pb2,
    content_pb2_grpc,
    contract_pb2,
    contract_pb2_grpc,
    diff_pb2,
    diff_pb2_grpc,
    document_versioning_pb2,
    document_versioning_pb2_grpc,
    ecn_pb2,
    ecn_pb2_grpc,
    knowledge_pb2,
    knowledge_pb2_grpc,
)
from crm_shared.clock import Clock, clock_from
from crm_shared.db import Database
from crm_shared.runtime import Runtime
from crm_shared.subject_access import SubjectAccess

from document_versioning.adapters.blob_store import blob_store_from
from document_versioning.adapters.opportunity_directory import OpportunityDirectory
from document_versioning.adapters.segmenter import Segmenter
from document_versioning.adapters.text_extraction import ExtractionLimits
from document_versioning.config import SERVICE, Settings
from document_versioning.entrypoints.content_servicer import DocumentContentServicer
from document_versioning.entrypoints.contract_consumers import ContractConsumers
from document_versioning.entrypoints.contract_servicer import ContractServicer
from document_versioning.entrypoints.delivery_consumers import DURABLE, EVENT_TYPES, on_delivery_recorded
from document_versioning.entrypoints.diff_servicer import DiffServicer
from document_versioning.entrypoints.document_versioning_servicer import DocumentVersioningServicer
from document_versioning.entrypoints.ecn_servicer import EcnServicer
from document_versioning.entrypoints.knowledge_servicer import KnowledgeServicer
from document_versioning.service_layer.blob_sweep import BlobSweep
from document_versioning.service_layer.contracts import ContractHandlers
from document_versioning.service_layer.diffs import DiffHandlers
from document_versioning.service_layer.document_types import DocumentTypeHandlers
from document_versioning.service_layer.ecns import EcnHandlers
from document_versioning.service_layer.knowledge import KnowledgeHandlers
from document_versioning.service_layer.snapshots import SnapshotHandlers
from document_versioning.service_layer.texts import VersionTexts
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork
from document_versioning.service_layer.uploads import ContentHandlers
from document_versioning.service_layer.versions import VersionHandlers


def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    clock = clock or clock_from(settings.clock_offset_file)
    db = Database(settings.resolved_database_url(SERVICE), SERVICE, clock)
    # Where version content lives (filesystem or S3); handlers that read or write bytes take it.
    blobs = blob_store_from(settings)
    access = SubjectAccess(settings.opportunity_addr, SERVICE, settings.access_timeout_s, settings.lead_routing_addr)
    uow = lambda: DocumentVersioningUnitOfWork(db)  # noqa: E731
    # THE one path that creates versions (the unary and the streaming upload end there) and every read.
    versions = VersionHandlers(
        uow, access, blobs, version_retries=settings.version_retries, limits=settings.size_limits()
    )
    snapshots = SnapshotHandlers(uow, access, versions)
    document_types = DocumentTypeHandlers(uow)
    # Contracts and ECNs (signed PDFs and notices are versions made by create_with, in their own transaction).
    opportunities = OpportunityDirectory(settings.opportunity_addr, settings.access_timeout_s)
    contracts = ContractHandlers(uow, access, versions, opportunities, settings.esign_provider_names())
    ecns = EcnHandlers(uow, versions)
    # Text diffs and the knowledge base read versions through readable_version and text through one cache.
    extraction = ExtractionLimits(
        max_chars=settings.extraction_max_chars,
        max_pages=settings.extraction_max_pages,
        ocr=settings.ocr_enabled,
        ocr_languages=settings.ocr_languages,
    )
    texts = VersionTexts(uow, blobs.read_bytes, extraction, settings.extraction_max_bytes)
    diffs = DiffHandlers(versions.readable_version, texts, settings.diff_timeout_s)
    segmenter = Segmenter()
    knowledge = KnowledgeHandlers(uow, texts, segmenter)

    # Streamed uploads and reads of version content (the uploads end in versions.create).
    content = ContentHandlers(versions, blobs, settings.size_limits())

    async def wire(runtime: Runtime) -> None:
        assert runtime.grpc
        runtime.grpc.add(
            content_pb2_grpc.add_DocumentContentServiceServicer_to_server,
            DocumentContentServicer(content),
            content_pb2.DESCRIPTOR.services_by_name["DocumentContentService"].full_name,
        )
        runtime.grpc.add(
            document_versioning_pb2_grpc.add_DocumentVersioningServiceServicer_to_server,
            DocumentVersioningServicer(versions, snapshots, document_types),
            document_versioning_pb2.DESCRIPTOR.services_by_name["DocumentVersioningService"].full_name,
        )
        for add, servicer, descriptor, name in (
            (contract_pb2_grpc.add_ContractServiceServicer_to_server, ContractServicer(contracts), contract_pb2,
             "ContractService"),
            (ecn_pb2_grpc.add_EcnServiceServicer_to_server, EcnServicer(ecns), ecn_pb2, "EcnService"),
            (diff_pb2_grpc.add_DocumentDiffServiceServicer_to_server, DiffServicer(diffs), diff_pb2,
             "DocumentDiffService"),
            (knowledge_pb2_grpc.add_KnowledgeServiceServicer_to_server, KnowledgeServicer(knowledge), knowledge_pb2,
             "KnowledgeService"),
        ):
            runtime.grpc.add(add, servicer, descriptor.DESCRIPTOR.services_by_name[name].full_name)
        # jieba's dictionary loads once (~0.5 s), before the first search.
        await asyncio.to_thread(segmenter.warm)
        runtime.on_close.append(access.close)
        runtime.on_close.append(opportunities.close)
        runtime.on_close.append(blobs.close)

    runtime = Runtime(service=SERVICE, settings=settings, db=db, wire=wire)
    # A contract's review follows the approval request naming its draft.
    runtime.consume(
        "document-versioning-contract-reviews",
        ContractConsumers.EVENT_TYPES,
        ContractConsumers(contracts).approval_event,
        uow=uow,
    )
    # Contracts' delivery and acceptance from the opportunity: an ECN lists delivered orders as a retrofit notice.
    runtime.consume(DURABLE, EVENT_TYPES, on_delivery_recorded, uow=uow)
    # A tagged knowledge-base entry's new version is indexed in place of the old one.
    runtime.consume("document-versioning-knowledge-index", ["document.version_created"], knowledge.reindex, uow=uow)
    # Blobs no version names (refused or cut-off uploads), past the grace period, on one replica.
    sweep = BlobSweep(uow, blobs, clock, timedelta(seconds=settings.blob_sweep_grace_s))
    runtime.every("document-blob-sweep", settings.blob_sweep_interval_s, sweep.run)
    return runtime
