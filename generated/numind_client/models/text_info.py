from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TextInfo")


@_attrs_define
class TextInfo:
    """A document read as text."""

    document_id: str
    """ ID of the document. """
    file_id: str
    """ ID of the uploaded file (or text) it comes from. """
    text: str
    """ The document's text. """
    type_: Literal["text"]
    """ Always `text`. """
    file_name: str | Unset = UNSET
    """ Name of the uploaded file, if there was one. """
    possible_transformations: list[str] | Unset = UNSET
    """ Conversions the document allows. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document_id = self.document_id

        file_id = self.file_id

        text = self.text

        type_ = self.type_

        file_name = self.file_name

        possible_transformations: list[str] | Unset = UNSET
        if not isinstance(self.possible_transformations, Unset):
            possible_transformations = self.possible_transformations

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "documentId": document_id,
                "fileId": file_id,
                "text": text,
                "type": type_,
            }
        )
        if file_name is not UNSET:
            field_dict["fileName"] = file_name
        if possible_transformations is not UNSET:
            field_dict["possibleTransformations"] = possible_transformations

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        document_id = d.pop("documentId")

        file_id = d.pop("fileId")

        text = d.pop("text")

        type_ = cast(Literal["text"], d.pop("type"))
        if type_ != "text":
            raise ValueError(f"type must match const 'text', got '{type_}'")

        file_name = d.pop("fileName", UNSET)

        possible_transformations = cast(list[str], d.pop("possibleTransformations", UNSET))

        text_info = cls(
            document_id=document_id,
            file_id=file_id,
            text=text,
            type_=type_,
            file_name=file_name,
            possible_transformations=possible_transformations,
        )

        text_info.additional_properties = d
        return text_info

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
