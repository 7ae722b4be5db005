from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.parsed_chat_completion_message_parsed_type_0 import ParsedChatCompletionMessageParsedType0


T = TypeVar("T", bound="ParsedChatCompletionMessage")


@_attrs_define
class ParsedChatCompletionMessage:
    """The assistant message carrying the extraction."""

    role: str
    """ Author of the message ("assistant"). """
    content: None | str | Unset = UNSET
    """ The extraction as a JSON text. """
    parsed: None | ParsedChatCompletionMessageParsedType0 | Unset = UNSET
    """ The extraction as an object conforming to the project's schema. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        role = self.role

        content: None | str | Unset
        if isinstance(self.content, Unset):
            content = UNSET
        else:
            content = self.content

        parsed: dict[str, Any] | None | Unset
        if isinstance(self.parsed, Unset):
            parsed = UNSET
        elif isinstance(self.parsed, ParsedChatCompletionMessageParsedType0):
            parsed = self.parsed.to_dict()
        else:
            parsed = self.parsed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "role": role,
            }
        )
        if content is not UNSET:
            field_dict["content"] = content
        if parsed is not UNSET:
            field_dict["parsed"] = parsed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = d.pop("role")

        content = d.pop("content", UNSET)

        def _parse_parsed(data: object) -> None | ParsedChatCompletionMessageParsedType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                parsed_type_0 = ParsedChatCompletionMessageParsedType0.from_dict(data)

                return parsed_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ParsedChatCompletionMessageParsedType0 | Unset, data)

        parsed = _parse_parsed(d.pop("parsed", UNSET))

        parsed_chat_completion_message = cls(
            role=role,
            content=content,
            parsed=parsed,
        )

        parsed_chat_completion_message.additional_properties = d
        return parsed_chat_completion_message

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
from ..models.parsed_chat_completion_message_parsed_type_0 import ParsedChatCompletionMessageParsedType0  # noqa: E402
