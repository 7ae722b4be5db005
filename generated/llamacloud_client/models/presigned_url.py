from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.presigned_url_form_fields_type_0 import PresignedUrlFormFieldsType0


T = TypeVar("T", bound="PresignedUrl")


@_attrs_define
class PresignedUrl:
    """A time-limited URL to the stored file."""

    url: str
    """ Url. """
    expires_at: datetime.datetime
    """ Expires at. """
    form_fields: None | PresignedUrlFormFieldsType0 | Unset = UNSET
    """ Form fields. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        expires_at = self.expires_at.isoformat()

        form_fields: dict[str, Any] | None | Unset
        if isinstance(self.form_fields, Unset):
            form_fields = UNSET
        elif isinstance(self.form_fields, PresignedUrlFormFieldsType0):
            form_fields = self.form_fields.to_dict()
        else:
            form_fields = self.form_fields

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
                "expires_at": expires_at,
            }
        )
        if form_fields is not UNSET:
            field_dict["form_fields"] = form_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_form_fields(data: object) -> None | PresignedUrlFormFieldsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                form_fields_type_0 = PresignedUrlFormFieldsType0.from_dict(data)

                return form_fields_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PresignedUrlFormFieldsType0 | Unset, data)

        form_fields = _parse_form_fields(d.pop("form_fields", UNSET))

        presigned_url = cls(
            url=url,
            expires_at=expires_at,
            form_fields=form_fields,
        )

        presigned_url.additional_properties = d
        return presigned_url

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
from ..models.presigned_url_form_fields_type_0 import PresignedUrlFormFieldsType0  # noqa: E402
