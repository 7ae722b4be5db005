from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.presigned_url import PresignedUrl


T = TypeVar("T", bound="FileUploadResponse")


@_attrs_define
class FileUploadResponse:
    """An uploaded file."""

    id: str
    """ The file's ID; pass it as `file_input`. """
    name: str
    """ Name. """
    project_id: UUID
    """ Project id. """
    external_file_id: None | str | Unset = UNSET
    """ External file id. """
    file_type: None | str | Unset = UNSET
    """ File type. """
    last_modified_at: datetime.datetime | None | Unset = UNSET
    """ Last modified at. """
    expires_at: datetime.datetime | None | Unset = UNSET
    """ Expires at. """
    purpose: None | str | Unset = UNSET
    """ What the file is for, as given when it was uploaded. """
    download_url: None | PresignedUrl | Unset = UNSET
    """ A time-limited URL to download the file, when the API gives one. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        project_id = str(self.project_id)

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
        else:
            purpose = self.purpose

        download_url: dict[str, Any] | None | Unset
        if isinstance(self.download_url, Unset):
            download_url = UNSET
        elif isinstance(self.download_url, PresignedUrl):
            download_url = self.download_url.to_dict()
        else:
            download_url = self.download_url

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
        if download_url is not UNSET:
            field_dict["download_url"] = download_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        project_id = UUID(d.pop("project_id"))

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

        purpose = d.pop("purpose", UNSET)

        def _parse_download_url(data: object) -> None | PresignedUrl | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                download_url_type_0 = PresignedUrl.from_dict(data)

                return download_url_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PresignedUrl | Unset, data)

        download_url = _parse_download_url(d.pop("download_url", UNSET))

        file_upload_response = cls(
            id=id,
            name=name,
            project_id=project_id,
            external_file_id=external_file_id,
            file_type=file_type,
            last_modified_at=last_modified_at,
            expires_at=expires_at,
            purpose=purpose,
            download_url=download_url,
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


# after the class: these models may import this one (an import cycle resolves)
from ..models.presigned_url import PresignedUrl  # noqa: E402
