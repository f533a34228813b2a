"""Domain errors shared by every service. Pure Python: entrypoints translate
them into gRPC status codes (crm_shared.grpc_errors) and the gateway into
problem+json."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldViolation:
    field: str
    description: str


@dataclass(frozen=True)
class Violation:
    """An unmet precondition: kind (e.g. "document"), subject, description."""

    type: str
    subject: str
    description: str


class DomainError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgument(DomainError):
    def __init__(self, message: str, violations: list[FieldViolation] | None = None) -> None:
        super().__init__(message)
        self.violations = violations or []

    @classmethod
    def field(cls, name: str, description: str) -> "InvalidArgument":
        return cls(f"{name}: {description}", [FieldViolation(name, description)])


class NotFound(DomainError):
    pass


class AlreadyExists(DomainError):
    pass


class FailedPrecondition(DomainError):
    def __init__(self, message: str, violations: list[Violation] | None = None) -> None:
        super().__init__(message)
        self.violations = violations or []


class PermissionDenied(DomainError):
    pass


class Conflict(DomainError):
    """A concurrent change won; the caller may retry (gRPC ABORTED)."""


class TooLarge(DomainError):
    """The content is over a size limit (gRPC RESOURCE_EXHAUSTED, HTTP 413)."""

    def __init__(self, message: str, limit_bytes: int = 0) -> None:
        super().__init__(message)
        self.limit_bytes = limit_bytes


class Unavailable(DomainError):
    """A service this one must ask did not answer; nothing was changed and
    the caller may retry later (gRPC UNAVAILABLE)."""


@dataclass
class Validator:
    """Collects every field problem so the caller hears about all of them at once."""

    violations: list[FieldViolation] = field(default_factory=list)

    def add(self, name: str, description: str) -> None:
        self.violations.append(FieldViolation(name, description))

    def require(self, name: str, value: object, description: str = "is required") -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(name, description)

    def check(self) -> None:
        if self.violations:
            summary = "; ".join(f"{v.field}: {v.description}" for v in self.violations)
            raise InvalidArgument(summary, list(self.violations))
