from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_configuration_webhook_events_type_0_item import WebhookConfigurationWebhookEventsType0Item
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_configuration_webhook_headers_type_0 import WebhookConfigurationWebhookHeadersType0


T = TypeVar("T", bound="WebhookConfiguration")


@_attrs_define
class WebhookConfiguration:
    """A webhook endpoint notified of job status changes."""

    webhook_url: None | str | Unset = UNSET
    """ Webhook url. """
    webhook_headers: None | Unset | WebhookConfigurationWebhookHeadersType0 = UNSET
    """ Webhook headers. """
    webhook_signing_secret: None | str | Unset = UNSET
    """ Webhook signing secret. """
    webhook_events: list[WebhookConfigurationWebhookEventsType0Item] | None | Unset = UNSET
    """ Webhook events. """
    webhook_output_format: None | str | Unset = UNSET
    """ Webhook output format. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        webhook_url: None | str | Unset
        if isinstance(self.webhook_url, Unset):
            webhook_url = UNSET
        else:
            webhook_url = self.webhook_url

        webhook_headers: dict[str, Any] | None | Unset
        if isinstance(self.webhook_headers, Unset):
            webhook_headers = UNSET
        elif isinstance(self.webhook_headers, WebhookConfigurationWebhookHeadersType0):
            webhook_headers = self.webhook_headers.to_dict()
        else:
            webhook_headers = self.webhook_headers

        webhook_signing_secret: None | str | Unset
        if isinstance(self.webhook_signing_secret, Unset):
            webhook_signing_secret = UNSET
        else:
            webhook_signing_secret = self.webhook_signing_secret

        webhook_events: list[str] | None | Unset
        if isinstance(self.webhook_events, Unset):
            webhook_events = UNSET
        elif isinstance(self.webhook_events, list):
            webhook_events = []
            for webhook_events_type_0_item_data in self.webhook_events:
                webhook_events_type_0_item = webhook_events_type_0_item_data.value
                webhook_events.append(webhook_events_type_0_item)

        else:
            webhook_events = self.webhook_events

        webhook_output_format: None | str | Unset
        if isinstance(self.webhook_output_format, Unset):
            webhook_output_format = UNSET
        else:
            webhook_output_format = self.webhook_output_format

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if webhook_url is not UNSET:
            field_dict["webhook_url"] = webhook_url
        if webhook_headers is not UNSET:
            field_dict["webhook_headers"] = webhook_headers
        if webhook_signing_secret is not UNSET:
            field_dict["webhook_signing_secret"] = webhook_signing_secret
        if webhook_events is not UNSET:
            field_dict["webhook_events"] = webhook_events
        if webhook_output_format is not UNSET:
            field_dict["webhook_output_format"] = webhook_output_format

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        webhook_url = d.pop("webhook_url", UNSET)

        def _parse_webhook_headers(data: object) -> None | Unset | WebhookConfigurationWebhookHeadersType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                webhook_headers_type_0 = WebhookConfigurationWebhookHeadersType0.from_dict(data)

                return webhook_headers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WebhookConfigurationWebhookHeadersType0, data)

        webhook_headers = _parse_webhook_headers(d.pop("webhook_headers", UNSET))

        webhook_signing_secret = d.pop("webhook_signing_secret", UNSET)

        def _parse_webhook_events(data: object) -> list[WebhookConfigurationWebhookEventsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                webhook_events_type_0 = []
                _webhook_events_type_0 = data
                for webhook_events_type_0_item_data in _webhook_events_type_0:
                    webhook_events_type_0_item = WebhookConfigurationWebhookEventsType0Item(
                        webhook_events_type_0_item_data
                    )

                    webhook_events_type_0.append(webhook_events_type_0_item)

                return webhook_events_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[WebhookConfigurationWebhookEventsType0Item] | None | Unset, data)

        webhook_events = _parse_webhook_events(d.pop("webhook_events", UNSET))

        webhook_output_format = d.pop("webhook_output_format", UNSET)

        webhook_configuration = cls(
            webhook_url=webhook_url,
            webhook_headers=webhook_headers,
            webhook_signing_secret=webhook_signing_secret,
            webhook_events=webhook_events,
            webhook_output_format=webhook_output_format,
        )

        webhook_configuration.additional_properties = d
        return webhook_configuration

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
from ..models.webhook_configuration_webhook_headers_type_0 import WebhookConfigurationWebhookHeadersType0  # noqa: E402
