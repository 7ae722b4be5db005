from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtractJobUsage")


@_attrs_define
class ExtractJobUsage:
    """What the job consumed."""

    num_pages_extracted: int | None | Unset = UNSET
    """ Pages the extraction read. """
    num_pages_billed: int | None | Unset = UNSET
    """ Pages billed. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        num_pages_extracted: int | None | Unset
        if isinstance(self.num_pages_extracted, Unset):
            num_pages_extracted = UNSET
        else:
            num_pages_extracted = self.num_pages_extracted

        num_pages_billed: int | None | Unset
        if isinstance(self.num_pages_billed, Unset):
            num_pages_billed = UNSET
        else:
            num_pages_billed = self.num_pages_billed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if num_pages_extracted is not UNSET:
            field_dict["num_pages_extracted"] = num_pages_extracted
        if num_pages_billed is not UNSET:
            field_dict["num_pages_billed"] = num_pages_billed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        num_pages_extracted = d.pop("num_pages_extracted", UNSET)

        num_pages_billed = d.pop("num_pages_billed", UNSET)

        extract_job_usage = cls(
            num_pages_extracted=num_pages_extracted,
            num_pages_billed=num_pages_billed,
        )

        extract_job_usage.additional_properties = d
        return extract_job_usage

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
