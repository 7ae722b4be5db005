from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageInfo")


@_attrs_define
class ImageInfo:
    """A document read as images (a PDF's pages, say)."""

    document_id: str
    """ ID of the document. """
    file_id: str
    """ ID of the uploaded file it comes from. """
    file_name: str
    """ Name of the uploaded file. """
    part_count: int
    """ Number of images (parts) of the document. """
    type_: Literal["image"]
    """ Always `image`. """
    possible_transformations: list[str] | Unset = UNSET
    """ Conversions the document allows. """
    dpi: int | Unset = UNSET
    """ Resolution the file was rasterized at. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document_id = self.document_id

        file_id = self.file_id

        file_name = self.file_name

        part_count = self.part_count

        type_ = self.type_

        possible_transformations: list[str] | Unset = UNSET
        if not isinstance(self.possible_transformations, Unset):
            possible_transformations = self.possible_transformations

        dpi = self.dpi

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "documentId": document_id,
                "fileId": file_id,
                "fileName": file_name,
                "partCount": part_count,
                "type": type_,
            }
        )
        if possible_transformations is not UNSET:
            field_dict["possibleTransformations"] = possible_transformations
        if dpi is not UNSET:
            field_dict["dpi"] = dpi

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        document_id = d.pop("documentId")

        file_id = d.pop("fileId")

        file_name = d.pop("fileName")

        part_count = d.pop("partCount")

        type_ = cast(Literal["image"], d.pop("type"))
        if type_ != "image":
            raise ValueError(f"type must match const 'image', got '{type_}'")

        possible_transformations = cast(list[str], d.pop("possibleTransformations", UNSET))

        dpi = d.pop("dpi", UNSET)

        image_info = cls(
            document_id=document_id,
            file_id=file_id,
            file_name=file_name,
            part_count=part_count,
            type_=type_,
            possible_transformations=possible_transformations,
            dpi=dpi,
        )

        image_info.additional_properties = d
        return image_info

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
