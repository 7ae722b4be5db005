from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="FileUploadForm")


@_attrs_define
class FileUploadForm:
    """A file to upload."""

    purpose: str
    """ What the file is for: extract for extraction jobs; also user_data, parse, split, classify, sheet, agent_app.
    """
    file: File
    """ The document's bytes. """
    external_file_id: None | str | Unset = UNSET
    """ Your own ID for the file. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        purpose = self.purpose

        file = self.file.to_tuple()

        external_file_id: None | str | Unset
        if isinstance(self.external_file_id, Unset):
            external_file_id = UNSET
        else:
            external_file_id = self.external_file_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "purpose": purpose,
                "file": file,
            }
        )
        if external_file_id is not UNSET:
            field_dict["external_file_id"] = external_file_id

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        if self.purpose is not None:
            files.append(("purpose", (None, str(self.purpose).encode(), "text/plain")))

        files.append(("file", self.file.to_tuple()))

        if not isinstance(self.external_file_id, Unset):
            if isinstance(self.external_file_id, str):
                if self.external_file_id is not None:
                    files.append(("external_file_id", (None, str(self.external_file_id).encode(), "text/plain")))
            else:
                if self.external_file_id is not None:
                    files.append(("external_file_id", (None, str(self.external_file_id).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            if prop is not None:
                files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        purpose = d.pop("purpose")

        file = File(payload=BytesIO(d.pop("file")))

        external_file_id = d.pop("external_file_id", UNSET)

        file_upload_form = cls(
            purpose=purpose,
            file=file,
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
