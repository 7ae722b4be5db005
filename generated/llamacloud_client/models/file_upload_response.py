from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.file_purpose import FilePurpose
from ..types import UNSET, Unset

T = TypeVar("T", bound="FileUploadResponse")


@_attrs_define
class FileUploadResponse:
    """An uploaded file."""

    id: str
    """ The file's ID; pass it as `document_input_value`. """
    name: str
    project_id: str
    external_file_id: None | str | Unset = UNSET
    file_type: None | str | Unset = UNSET
    last_modified_at: datetime.datetime | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    purpose: FilePurpose | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        project_id = self.project_id

        external_file_id: None | str | Unset
        if isinstance(self.external_file_id, Unset):
            external_file_id = UNSET
        else:
            external_file_id = self.external_file_id

        file_type: None | str | Unset
        if isinstance(self.file_type, Unset):
            file_type = UNSET
        else:
            file_type = self.file_type

        last_modified_at: None | str | Unset
        if isinstance(self.last_modified_at, Unset):
            last_modified_at = UNSET
        elif isinstance(self.last_modified_at, datetime.datetime):
            last_modified_at = self.last_modified_at.isoformat()
        else:
            last_modified_at = self.last_modified_at

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        purpose: None | str | Unset
        if isinstance(self.purpose, Unset):
            purpose = UNSET
        elif isinstance(self.purpose, FilePurpose):
            purpose = self.purpose.value
        else:
            purpose = self.purpose

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "project_id": project_id,
            }
        )
        if external_file_id is not UNSET:
            field_dict["external_file_id"] = external_file_id
        if file_type is not UNSET:
            field_dict["file_type"] = file_type
        if last_modified_at is not UNSET:
            field_dict["last_modified_at"] = last_modified_at
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if purpose is not UNSET:
            field_dict["purpose"] = purpose

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        project_id = d.pop("project_id")

        external_file_id = d.pop("external_file_id", UNSET)

        file_type = d.pop("file_type", UNSET)

        def _parse_last_modified_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_modified_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_modified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_modified_at = _parse_last_modified_at(d.pop("last_modified_at", UNSET))

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_purpose(data: object) -> FilePurpose | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                purpose_type_0 = FilePurpose(data)

                return purpose_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FilePurpose | None | Unset, data)

        purpose = _parse_purpose(d.pop("purpose", UNSET))

        file_upload_response = cls(
            id=id,
            name=name,
            project_id=project_id,
            external_file_id=external_file_id,
            file_type=file_type,
            last_modified_at=last_modified_at,
            expires_at=expires_at,
            purpose=purpose,
        )

        file_upload_response.additional_properties = d
        return file_upload_response

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
