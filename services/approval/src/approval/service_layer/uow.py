from crm_shared.db import UnitOfWork

from approval.adapters.approval_repository import ApprovalRepository
from approval.adapters.average_repository import AverageRepository
from approval.adapters.delegation_repository import DelegationRepository
from approval.adapters.department_repository import DepartmentRepository
from approval.adapters.lock_repository import LockRepository
from approval.adapters.policy_repository import PolicyRepository
from approval.adapters.profile_repository import ProfileRepository
from approval.adapters.report_repository import ReportRepository
from approval.adapters.timer_repository import TimerRepository


class ApprovalUnitOfWork(UnitOfWork):
    approvals: ApprovalRepository
    policies: PolicyRepository
    departments: DepartmentRepository
    profiles: ProfileRepository
    delegations: DelegationRepository
    averages: AverageRepository
    timers: TimerRepository
    locks: LockRepository
    reports: ReportRepository

    def _open(self) -> None:
        self.approvals = ApprovalRepository(self.session)
        self.policies = PolicyRepository(self.session)
        self.departments = DepartmentRepository(self.session)
        self.profiles = ProfileRepository(self.session)
        self.delegations = DelegationRepository(self.session)
        self.averages = AverageRepository(self.session)
        self.timers = TimerRepository(self.session)
        self.locks = LockRepository(self.session)
        self.reports = ReportRepository(self.session)
