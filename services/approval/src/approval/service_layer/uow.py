from approval.adapters.repository import ApprovalRepository
from crm_shared.db import UnitOfWork


class ApprovalUnitOfWork(UnitOfWork):
    approvals: ApprovalRepository

    def _open(self) -> None:
        self.approvals = ApprovalRepository(self.session)
