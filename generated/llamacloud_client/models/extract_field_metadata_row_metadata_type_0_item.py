from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.extract_field_metadata_row_metadata_type_0_item_additional_property_type_0 import (
        ExtractFieldMetadataRowMetadataType0ItemAdditionalPropertyType0,
    )


T = TypeVar("T", bound="ExtractFieldMetadataRowMetadataType0Item")


@_attrs_define
class ExtractFieldMetadataRowMetadataType0Item:
    additional_properties: dict[
        str,
        bool | ExtractFieldMetadataRowMetadataType0ItemAdditionalPropertyType0 | float | int | list[Any] | None | str,
    ] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            if isinstance(prop, ExtractFieldMetadataRowMetadataType0ItemAdditionalPropertyType0):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, list):
                field_dict[prop_name] = prop

            else:
                field_dict[prop_name] = prop

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        extract_field_metadata_row_metadata_type_0_item = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():

            def _parse_additional_property(
                data: object,
            ) -> (
                bool
                | ExtractFieldMetadataRowMetadataType0ItemAdditionalPropertyType0
                | float
                | int
                | list[Any]
                | None
                | str
            ):
                if data is None:
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_0 = (
                        ExtractFieldMetadataRowMetadataType0ItemAdditionalPropertyType0.from_dict(data)
                    )

                    return additional_property_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, list):
                        raise TypeError()
                    additional_property_type_1 = cast(list[Any], data)

                    return additional_property_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(
                    bool
                    | ExtractFieldMetadataRowMetadataType0ItemAdditionalPropertyType0
                    | float
                    | int
                    | list[Any]
                    | None
                    | str,
                    data,
                )

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        extract_field_metadata_row_metadata_type_0_item.additional_properties = additional_properties
        return extract_field_metadata_row_metadata_type_0_item

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(
        self, key: str
    ) -> bool | ExtractFieldMetadataRowMetadataType0ItemAdditionalPropertyType0 | float | int | list[Any] | None | str:
        return self.additional_properties[key]

    def __setitem__(
        self,
        key: str,
        value: bool
        | ExtractFieldMetadataRowMetadataType0ItemAdditionalPropertyType0
        | float
        | int
        | list[Any]
        | None
        | str,
    ) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# after the class: these models may import this one (an import cycle resolves)
from ..models.extract_field_metadata_row_metadata_type_0_item_additional_property_type_0 import (
    ExtractFieldMetadataRowMetadataType0ItemAdditionalPropertyType0,  # noqa: E402
)
