"""crm_shared.text: which characters a text field may hold, and the field
paths it names in any request message (nested, repeated, maps, Struct)."""

from __future__ import annotations

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from crm.lead_routing.v1 import lead_routing_pb2
from crm.opportunity.v1 import pipeline_pb2
from crm_shared.domain.errors import InvalidArgument
from crm_shared.text import check_request_text, refused_character, text_violations


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f",
                                  "\ufffe", "\uffff", "\ud800", "\udfff"])
def test_control_characters_noncharacters_and_lone_surrogates_are_refused(char: str) -> None:
    problem = refused_character(f"甲{char}乙")
    assert problem and f"U+{ord(char):04X}" in problem and "position 2" in problem


@pytest.mark.parametrize("text", ["", "浙江甲乙机械有限公司", "line\nnext\r\n\tindented", "emoji 🙂 and ½ and \u00a0", "\ufffd"])
def test_text_with_tab_newlines_cjk_and_emoji_is_text(text: str) -> None:
    assert refused_character(text) is None


def test_every_string_of_a_request_is_named_by_its_path() -> None:
    request = lead_routing_pb2.IngestLeadRequest(company_name="甲\x00", industry_tags=["注塑机", "模\x07具"])
    request.custom_fields.update({"开模数": "3\x00", "备注": ["好", "坏\x1b"], "数字": 3, "嵌套": {"键": "\x7f"}})
    paths = sorted(v.field for v in text_violations(request))
    assert paths == sorted(
        ["company_name", "industry_tags[1]", "custom_fields.开模数", "custom_fields.备注[1]", "custom_fields.嵌套.键"]
    )


def test_nested_repeated_messages_are_walked() -> None:
    request = pipeline_pb2.CreatePipelineRequest(name="p")
    stage = request.stages.add(name="s1")
    request.stages.add(name="s\x002")
    stage.gate.required_documents.append("合同\x00")
    assert sorted(v.field for v in text_violations(request)) == ["stages[0].gate.required_documents[0]", "stages[1].name"]


def test_map_keys_and_values_are_checked() -> None:
    file = descriptor_pb2.FileDescriptorProto(name="text_test_map.proto", package="texttest", syntax="proto3")
    message = file.message_type.add(name="WithMap")
    entry = message.nested_type.add(name="LabelsEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=9, label=1)
    entry.field.add(name="value", number=2, type=9, label=1)
    message.field.add(name="labels", number=1, type=11, label=3, type_name=".texttest.WithMap.LabelsEntry")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("texttest.WithMap"))
    found = text_violations(cls(labels={"ok": "v\x00", "k\x01": "fine", "fine": "fine"}))
    assert sorted(v.field for v in found) == ["labels (a key)", "labels[ok]"]


def test_a_refusal_is_invalid_argument_with_a_violation_per_field() -> None:
    with pytest.raises(InvalidArgument) as refused:
        check_request_text(lead_routing_pb2.IngestLeadRequest(company_name="甲\x00", contact_name="张\x00"))
    assert [v.field for v in refused.value.violations] == ["company_name", "contact_name"]
    check_request_text(lead_routing_pb2.IngestLeadRequest(company_name="甲乙", contact_name="张三"))
