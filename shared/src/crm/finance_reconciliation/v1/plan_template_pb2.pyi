from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PlanTemplateTerm(_message.Message):
    __slots__ = ("name", "trigger", "days", "percent_bp")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    PERCENT_BP_FIELD_NUMBER: _ClassVar[int]
    name: str
    trigger: str
    days: int
    percent_bp: int
    def __init__(self, name: _Optional[str] = ..., trigger: _Optional[str] = ..., days: _Optional[int] = ..., percent_bp: _Optional[int] = ...) -> None: ...

class PlanTemplate(_message.Message):
    __slots__ = ("template_id", "region", "name", "terms", "updated_by", "updated_at")
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    template_id: str
    region: str
    name: str
    terms: _containers.RepeatedCompositeFieldContainer[PlanTemplateTerm]
    updated_by: str
    updated_at: str
    def __init__(self, template_id: _Optional[str] = ..., region: _Optional[str] = ..., name: _Optional[str] = ..., terms: _Optional[_Iterable[_Union[PlanTemplateTerm, _Mapping]]] = ..., updated_by: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class ListPlanTemplatesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListPlanTemplatesResponse(_message.Message):
    __slots__ = ("templates",)
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    templates: _containers.RepeatedCompositeFieldContainer[PlanTemplate]
    def __init__(self, templates: _Optional[_Iterable[_Union[PlanTemplate, _Mapping]]] = ...) -> None: ...

class CreatePlanTemplateRequest(_message.Message):
    __slots__ = ("region", "name", "terms")
    REGION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    region: str
    name: str
    terms: _containers.RepeatedCompositeFieldContainer[PlanTemplateTerm]
    def __init__(self, region: _Optional[str] = ..., name: _Optional[str] = ..., terms: _Optional[_Iterable[_Union[PlanTemplateTerm, _Mapping]]] = ...) -> None: ...

class CreatePlanTemplateResponse(_message.Message):
    __slots__ = ("template",)
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    template: PlanTemplate
    def __init__(self, template: _Optional[_Union[PlanTemplate, _Mapping]] = ...) -> None: ...

class ReplacePlanTemplateRequest(_message.Message):
    __slots__ = ("template_id", "region", "name", "terms")
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TERMS_FIELD_NUMBER: _ClassVar[int]
    template_id: str
    region: str
    name: str
    terms: _containers.RepeatedCompositeFieldContainer[PlanTemplateTerm]
    def __init__(self, template_id: _Optional[str] = ..., region: _Optional[str] = ..., name: _Optional[str] = ..., terms: _Optional[_Iterable[_Union[PlanTemplateTerm, _Mapping]]] = ...) -> None: ...

class ReplacePlanTemplateResponse(_message.Message):
    __slots__ = ("template",)
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    template: PlanTemplate
    def __init__(self, template: _Optional[_Union[PlanTemplate, _Mapping]] = ...) -> None: ...

class DeletePlanTemplateRequest(_message.Message):
    __slots__ = ("template_id",)
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    template_id: str
    def __init__(self, template_id: _Optional[str] = ...) -> None: ...

class DeletePlanTemplateResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
