from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_configuration import ExtractConfiguration


T = TypeVar("T", bound="ExtractV2JobCreate")


@_attrs_define
class ExtractV2JobCreate:
    """A new extraction job. Give either `configuration` (inline) or `configuration_id` (saved)."""

    document_input_value: str
    """ ID of an uploaded file or of a parse job. """
    configuration: ExtractConfiguration | None | Unset = UNSET
    configuration_id: None | str | Unset = UNSET
    """ ID of a saved extraction configuration. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document_input_value = self.document_input_value

        configuration: dict[str, Any] | None | Unset
        if isinstance(self.configuration, Unset):
            configuration = UNSET
        elif isinstance(self.configuration, ExtractConfiguration):
            configuration = self.configuration.to_dict()
        else:
            configuration = self.configuration

        configuration_id: None | str | Unset
        if isinstance(self.configuration_id, Unset):
            configuration_id = UNSET
        else:
            configuration_id = self.configuration_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "document_input_value": document_input_value,
            }
        )
        if configuration is not UNSET:
            field_dict["configuration"] = configuration
        if configuration_id is not UNSET:
            field_dict["configuration_id"] = configuration_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        document_input_value = d.pop("document_input_value")

        def _parse_configuration(data: object) -> ExtractConfiguration | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                configuration_type_0 = ExtractConfiguration.from_dict(data)

                return configuration_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractConfiguration | None | Unset, data)

        configuration = _parse_configuration(d.pop("configuration", UNSET))

        configuration_id = d.pop("configuration_id", UNSET)

        extract_v2_job_create = cls(
            document_input_value=document_input_value,
            configuration=configuration,
            configuration_id=configuration_id,
        )

        extract_v2_job_create.additional_properties = d
        return extract_v2_job_create

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
from ..models.extract_configuration import ExtractConfiguration  # noqa: E402
