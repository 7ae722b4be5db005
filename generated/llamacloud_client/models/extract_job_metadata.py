from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_field_metadata import ExtractFieldMetadata


T = TypeVar("T", bound="ExtractJobMetadata")


@_attrs_define
class ExtractJobMetadata:
    """Metadata about the extraction of each field."""

    field_metadata: ExtractFieldMetadata | None | Unset = UNSET
    """ Per-field citations and confidence. """
    parse_job_id: None | str | Unset = UNSET
    """ The parse job the extraction read. """
    parse_tier: None | str | Unset = UNSET
    """ Parsing level that read the document. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field_metadata: dict[str, Any] | None | Unset
        if isinstance(self.field_metadata, Unset):
            field_metadata = UNSET
        elif isinstance(self.field_metadata, ExtractFieldMetadata):
            field_metadata = self.field_metadata.to_dict()
        else:
            field_metadata = self.field_metadata

        parse_job_id: None | str | Unset
        if isinstance(self.parse_job_id, Unset):
            parse_job_id = UNSET
        else:
            parse_job_id = self.parse_job_id

        parse_tier: None | str | Unset
        if isinstance(self.parse_tier, Unset):
            parse_tier = UNSET
        else:
            parse_tier = self.parse_tier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if field_metadata is not UNSET:
            field_dict["field_metadata"] = field_metadata
        if parse_job_id is not UNSET:
            field_dict["parse_job_id"] = parse_job_id
        if parse_tier is not UNSET:
            field_dict["parse_tier"] = parse_tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_field_metadata(data: object) -> ExtractFieldMetadata | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                field_metadata_type_0 = ExtractFieldMetadata.from_dict(data)

                return field_metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractFieldMetadata | None | Unset, data)

        field_metadata = _parse_field_metadata(d.pop("field_metadata", UNSET))

        parse_job_id = d.pop("parse_job_id", UNSET)

        parse_tier = d.pop("parse_tier", UNSET)

        extract_job_metadata = cls(
            field_metadata=field_metadata,
            parse_job_id=parse_job_id,
            parse_tier=parse_tier,
        )

        extract_job_metadata.additional_properties = d
        return extract_job_metadata

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
from ..models.extract_field_metadata import ExtractFieldMetadata  # noqa: E402
