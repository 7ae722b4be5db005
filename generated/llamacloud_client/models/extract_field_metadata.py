from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_field_metadata_document_metadata_type_0 import ExtractFieldMetadataDocumentMetadataType0
    from ..models.extract_field_metadata_page_metadata_type_0_item import ExtractFieldMetadataPageMetadataType0Item
    from ..models.extract_field_metadata_row_metadata_type_0_item import ExtractFieldMetadataRowMetadataType0Item


T = TypeVar("T", bound="ExtractFieldMetadata")


@_attrs_define
class ExtractFieldMetadata:
    """Per-field metadata: citations and confidence, by document, page or row."""

    document_metadata: ExtractFieldMetadataDocumentMetadataType0 | None | Unset = UNSET
    """ Metadata for a document-level result. """
    page_metadata: list[ExtractFieldMetadataPageMetadataType0Item] | None | Unset = UNSET
    """ Metadata per page (per_page target). """
    row_metadata: list[ExtractFieldMetadataRowMetadataType0Item] | None | Unset = UNSET
    """ Metadata per table row (per_table_row target). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document_metadata: dict[str, Any] | None | Unset
        if isinstance(self.document_metadata, Unset):
            document_metadata = UNSET
        elif isinstance(self.document_metadata, ExtractFieldMetadataDocumentMetadataType0):
            document_metadata = self.document_metadata.to_dict()
        else:
            document_metadata = self.document_metadata

        page_metadata: list[dict[str, Any]] | None | Unset
        if isinstance(self.page_metadata, Unset):
            page_metadata = UNSET
        elif isinstance(self.page_metadata, list):
            page_metadata = []
            for page_metadata_type_0_item_data in self.page_metadata:
                page_metadata_type_0_item = page_metadata_type_0_item_data.to_dict()
                page_metadata.append(page_metadata_type_0_item)

        else:
            page_metadata = self.page_metadata

        row_metadata: list[dict[str, Any]] | None | Unset
        if isinstance(self.row_metadata, Unset):
            row_metadata = UNSET
        elif isinstance(self.row_metadata, list):
            row_metadata = []
            for row_metadata_type_0_item_data in self.row_metadata:
                row_metadata_type_0_item = row_metadata_type_0_item_data.to_dict()
                row_metadata.append(row_metadata_type_0_item)

        else:
            row_metadata = self.row_metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if document_metadata is not UNSET:
            field_dict["document_metadata"] = document_metadata
        if page_metadata is not UNSET:
            field_dict["page_metadata"] = page_metadata
        if row_metadata is not UNSET:
            field_dict["row_metadata"] = row_metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_document_metadata(data: object) -> ExtractFieldMetadataDocumentMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                document_metadata_type_0 = ExtractFieldMetadataDocumentMetadataType0.from_dict(data)

                return document_metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractFieldMetadataDocumentMetadataType0 | None | Unset, data)

        document_metadata = _parse_document_metadata(d.pop("document_metadata", UNSET))

        def _parse_page_metadata(data: object) -> list[ExtractFieldMetadataPageMetadataType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                page_metadata_type_0 = []
                _page_metadata_type_0 = data
                for page_metadata_type_0_item_data in _page_metadata_type_0:
                    page_metadata_type_0_item = ExtractFieldMetadataPageMetadataType0Item.from_dict(
                        page_metadata_type_0_item_data
                    )

                    page_metadata_type_0.append(page_metadata_type_0_item)

                return page_metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ExtractFieldMetadataPageMetadataType0Item] | None | Unset, data)

        page_metadata = _parse_page_metadata(d.pop("page_metadata", UNSET))

        def _parse_row_metadata(data: object) -> list[ExtractFieldMetadataRowMetadataType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                row_metadata_type_0 = []
                _row_metadata_type_0 = data
                for row_metadata_type_0_item_data in _row_metadata_type_0:
                    row_metadata_type_0_item = ExtractFieldMetadataRowMetadataType0Item.from_dict(
                        row_metadata_type_0_item_data
                    )

                    row_metadata_type_0.append(row_metadata_type_0_item)

                return row_metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ExtractFieldMetadataRowMetadataType0Item] | None | Unset, data)

        row_metadata = _parse_row_metadata(d.pop("row_metadata", UNSET))

        extract_field_metadata = cls(
            document_metadata=document_metadata,
            page_metadata=page_metadata,
            row_metadata=row_metadata,
        )

        extract_field_metadata.additional_properties = d
        return extract_field_metadata

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
from ..models.extract_field_metadata_document_metadata_type_0 import ExtractFieldMetadataDocumentMetadataType0  # noqa: E402
from ..models.extract_field_metadata_page_metadata_type_0_item import ExtractFieldMetadataPageMetadataType0Item  # noqa: E402
from ..models.extract_field_metadata_row_metadata_type_0_item import ExtractFieldMetadataRowMetadataType0Item  # noqa: E402
