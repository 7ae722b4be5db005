from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.file_purpose import FilePurpose
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="FileUploadForm")


@_attrs_define
class FileUploadForm:
    """A file to upload."""

    file: File
    """ The document's bytes. """
    purpose: FilePurpose
    """ What an uploaded file is for; `extract` for extraction jobs. """
    external_file_id: str | Unset = UNSET
    """ Your own ID for the file. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        purpose = self.purpose.value

        external_file_id = self.external_file_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
                "purpose": purpose,
            }
        )
        if external_file_id is not UNSET:
            field_dict["external_file_id"] = external_file_id

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        files.append(("purpose", (None, str(self.purpose.value).encode(), "text/plain")))

        if not isinstance(self.external_file_id, Unset):
            if self.external_file_id is not None:
                files.append(("external_file_id", (None, str(self.external_file_id).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            if prop is not None:
                files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        purpose = FilePurpose(d.pop("purpose"))

        external_file_id = d.pop("external_file_id", UNSET)

        file_upload_form = cls(
            file=file,
            purpose=purpose,
            external_file_id=external_file_id,
        )

        file_upload_form.additional_properties = d
        return file_upload_form

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
