from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_configuration import ExtractConfiguration
    from ..models.webhook_configuration import WebhookConfiguration


T = TypeVar("T", bound="ExtractV2JobCreate")


@_attrs_define
class ExtractV2JobCreate:
    """A new extraction job. Give either `configuration` (inline) or `configuration_id` (saved)."""

    file_input: str
    """ ID of an uploaded file (dfl-...) or of a completed parse job (pjb-...). """
    webhook_configuration_ids: list[str] | None | Unset = UNSET
    """ IDs of saved webhook configurations to notify (at most 4). """
    webhook_configurations: list[WebhookConfiguration] | None | Unset = UNSET
    """ Webhook endpoints to notify when the job changes status. """
    configuration_id: None | str | Unset = UNSET
    """ ID of a saved extraction configuration; give this or configuration. """
    configuration: ExtractConfiguration | None | Unset = UNSET
    """ Inline configuration; give this or configuration_id. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_input = self.file_input

        webhook_configuration_ids: list[str] | None | Unset
        if isinstance(self.webhook_configuration_ids, Unset):
            webhook_configuration_ids = UNSET
        elif isinstance(self.webhook_configuration_ids, list):
            webhook_configuration_ids = self.webhook_configuration_ids

        else:
            webhook_configuration_ids = self.webhook_configuration_ids

        webhook_configurations: list[dict[str, Any]] | None | Unset
        if isinstance(self.webhook_configurations, Unset):
            webhook_configurations = UNSET
        elif isinstance(self.webhook_configurations, list):
            webhook_configurations = []
            for webhook_configurations_type_0_item_data in self.webhook_configurations:
                webhook_configurations_type_0_item = webhook_configurations_type_0_item_data.to_dict()
                webhook_configurations.append(webhook_configurations_type_0_item)

        else:
            webhook_configurations = self.webhook_configurations

        configuration_id: None | str | Unset
        if isinstance(self.configuration_id, Unset):
            configuration_id = UNSET
        else:
            configuration_id = self.configuration_id

        configuration: dict[str, Any] | None | Unset
        if isinstance(self.configuration, Unset):
            configuration = UNSET
        elif isinstance(self.configuration, ExtractConfiguration):
            configuration = self.configuration.to_dict()
        else:
            configuration = self.configuration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_input": file_input,
            }
        )
        if webhook_configuration_ids is not UNSET:
            field_dict["webhook_configuration_ids"] = webhook_configuration_ids
        if webhook_configurations is not UNSET:
            field_dict["webhook_configurations"] = webhook_configurations
        if configuration_id is not UNSET:
            field_dict["configuration_id"] = configuration_id
        if configuration is not UNSET:
            field_dict["configuration"] = configuration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_input = d.pop("file_input")

        def _parse_webhook_configuration_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                webhook_configuration_ids_type_0 = cast(list[str], data)

                return webhook_configuration_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        webhook_configuration_ids = _parse_webhook_configuration_ids(d.pop("webhook_configuration_ids", UNSET))

        def _parse_webhook_configurations(data: object) -> list[WebhookConfiguration] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                webhook_configurations_type_0 = []
                _webhook_configurations_type_0 = data
                for webhook_configurations_type_0_item_data in _webhook_configurations_type_0:
                    webhook_configurations_type_0_item = WebhookConfiguration.from_dict(
                        webhook_configurations_type_0_item_data
                    )

                    webhook_configurations_type_0.append(webhook_configurations_type_0_item)

                return webhook_configurations_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[WebhookConfiguration] | None | Unset, data)

        webhook_configurations = _parse_webhook_configurations(d.pop("webhook_configurations", UNSET))

        configuration_id = d.pop("configuration_id", UNSET)

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

        extract_v2_job_create = cls(
            file_input=file_input,
            webhook_configuration_ids=webhook_configuration_ids,
            webhook_configurations=webhook_configurations,
            configuration_id=configuration_id,
            configuration=configuration,
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
from ..models.webhook_configuration import WebhookConfiguration  # noqa: E402
