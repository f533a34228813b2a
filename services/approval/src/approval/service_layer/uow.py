from crm_shared.db import UnitOfWork

from approval.adapters.approval_repository import ApprovalRepository


class ApprovalUnitOfWork(UnitOfWork):
    approvals: ApprovalRepository

    def _open(self) -> None:
        self.approvals = ApprovalRepository(self.session)
