from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtractUsage")


@_attrs_define
class ExtractUsage:
    """Credits billed against a job (a parse job shared by several jobs counts in each)."""

    credits_: float | None | Unset = UNSET
    """ Total credits billed; null until billing has recorded it. """
    extract_credits: float | None | Unset = UNSET
    """ Credits billed for the extraction. """
    parse_credits: float | None | Unset = UNSET
    """ Credits billed for the parse job behind it. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        credits_: float | None | Unset
        if isinstance(self.credits_, Unset):
            credits_ = UNSET
        else:
            credits_ = self.credits_

        extract_credits: float | None | Unset
        if isinstance(self.extract_credits, Unset):
            extract_credits = UNSET
        else:
            extract_credits = self.extract_credits

        parse_credits: float | None | Unset
        if isinstance(self.parse_credits, Unset):
            parse_credits = UNSET
        else:
            parse_credits = self.parse_credits

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if credits_ is not UNSET:
            field_dict["credits"] = credits_
        if extract_credits is not UNSET:
            field_dict["extract_credits"] = extract_credits
        if parse_credits is not UNSET:
            field_dict["parse_credits"] = parse_credits

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        credits_ = d.pop("credits", UNSET)

        extract_credits = d.pop("extract_credits", UNSET)

        parse_credits = d.pop("parse_credits", UNSET)

        extract_usage = cls(
            credits_=credits_,
            extract_credits=extract_credits,
            parse_credits=parse_credits,
        )

        extract_usage.additional_properties = d
        return extract_usage

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
