from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.parsed_chat_completion_message import ParsedChatCompletionMessage


T = TypeVar("T", bound="RetabParsedChoice")


@_attrs_define
class RetabParsedChoice:
    """One completion choice."""

    index: int
    """ Position of the choice in the list. """
    message: ParsedChatCompletionMessage
    """ The assistant message carrying the extraction. """
    finish_reason: str
    """ Why generation stopped; OpenAI's values are stop, length, tool_calls, content_filter and function_call. Kept
    a plain string so new values still parse. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        message = self.message.to_dict()

        finish_reason = self.finish_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "message": message,
                "finish_reason": finish_reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        message = ParsedChatCompletionMessage.from_dict(d.pop("message"))

        finish_reason = d.pop("finish_reason")

        retab_parsed_choice = cls(
            index=index,
            message=message,
            finish_reason=finish_reason,
        )

        retab_parsed_choice.additional_properties = d
        return retab_parsed_choice

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# after the class: these models may import this one (an import cycle resolves)
from ..models.parsed_chat_completion_message import ParsedChatCompletionMessage  # noqa: E402
