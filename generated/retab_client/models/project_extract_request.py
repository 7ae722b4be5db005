from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="ProjectExtractRequest")


@_attrs_define
class ProjectExtractRequest:
    """Multipart form of a project extraction request."""

    document: File | None | Unset = UNSET
    """ The document to extract from (PDF, image, ...). Give it, or several `documents`, not both. """
    documents: list[File] | None | Unset = UNSET
    """ Several documents extracted together (one part each). """
    model: None | str | Unset = UNSET
    """ Model that runs the extraction (e.g. 'gpt-4o'); the project's default model when omitted. """
    temperature: float | None | Unset = UNSET
    """ Sampling temperature, 0.0 to 2.0; lower is more deterministic. """
    image_resolution_dpi: int | None | Unset = UNSET
    """ Resolution (DPI) at which pages are rendered as images; higher means better quality at a higher cost. """
    n_consensus: int | None | Unset = UNSET
    """ How many extraction runs vote on the result (consensus); more runs improve accuracy. """
    seed: int | None | Unset = UNSET
    """ Random seed, for reproducible extractions. """
    store: bool | Unset = True
    """ Whether the extraction result is stored in the database. """
    metadata: None | str | Unset = UNSET
    """ Custom key-value metadata attached to the extraction, sent as a JSON object serialised to a string. """
    extraction_id: None | str | Unset = UNSET
    """ Custom ID for the extraction; generated when omitted. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document: FileTypes | None | Unset
        if isinstance(self.document, Unset):
            document = UNSET
        elif isinstance(self.document, File):
            document = self.document.to_tuple()

        else:
            document = self.document

        documents: list[FileTypes] | None | Unset
        if isinstance(self.documents, Unset):
            documents = UNSET
        elif isinstance(self.documents, list):
            documents = []
            for documents_type_0_item_data in self.documents:
                documents_type_0_item = documents_type_0_item_data.to_tuple()

                documents.append(documents_type_0_item)

        else:
            documents = self.documents

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        temperature: float | None | Unset
        if isinstance(self.temperature, Unset):
            temperature = UNSET
        else:
            temperature = self.temperature

        image_resolution_dpi: int | None | Unset
        if isinstance(self.image_resolution_dpi, Unset):
            image_resolution_dpi = UNSET
        else:
            image_resolution_dpi = self.image_resolution_dpi

        n_consensus: int | None | Unset
        if isinstance(self.n_consensus, Unset):
            n_consensus = UNSET
        else:
            n_consensus = self.n_consensus

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        store = self.store

        metadata: None | str | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        else:
            metadata = self.metadata

        extraction_id: None | str | Unset
        if isinstance(self.extraction_id, Unset):
            extraction_id = UNSET
        else:
            extraction_id = self.extraction_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if document is not UNSET:
            field_dict["document"] = document
        if documents is not UNSET:
            field_dict["documents"] = documents
        if model is not UNSET:
            field_dict["model"] = model
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if image_resolution_dpi is not UNSET:
            field_dict["image_resolution_dpi"] = image_resolution_dpi
        if n_consensus is not UNSET:
            field_dict["n_consensus"] = n_consensus
        if seed is not UNSET:
            field_dict["seed"] = seed
        if store is not UNSET:
            field_dict["store"] = store
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if extraction_id is not UNSET:
            field_dict["extraction_id"] = extraction_id

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        if not isinstance(self.document, Unset):
            if isinstance(self.document, File):
                files.append(("document", self.document.to_tuple()))
            else:
                if self.document is not None:
                    files.append(("document", (None, str(self.document).encode(), "text/plain")))

        if not isinstance(self.documents, Unset):
            if isinstance(self.documents, list):
                for documents_type_0_item_element in self.documents:
                    files.append(("documents", documents_type_0_item_element.to_tuple()))
            else:
                if self.documents is not None:
                    files.append(("documents", (None, str(self.documents).encode(), "text/plain")))

        if not isinstance(self.model, Unset):
            if isinstance(self.model, str):
                if self.model is not None:
                    files.append(("model", (None, str(self.model).encode(), "text/plain")))
            else:
                if self.model is not None:
                    files.append(("model", (None, str(self.model).encode(), "text/plain")))

        if not isinstance(self.temperature, Unset):
            if isinstance(self.temperature, float):
                files.append(("temperature", (None, str(self.temperature).encode(), "text/plain")))
            else:
                if self.temperature is not None:
                    files.append(("temperature", (None, str(self.temperature).encode(), "text/plain")))

        if not isinstance(self.image_resolution_dpi, Unset):
            if isinstance(self.image_resolution_dpi, int):
                files.append(("image_resolution_dpi", (None, str(self.image_resolution_dpi).encode(), "text/plain")))
            else:
                if self.image_resolution_dpi is not None:
                    files.append(
                        ("image_resolution_dpi", (None, str(self.image_resolution_dpi).encode(), "text/plain"))
                    )

        if not isinstance(self.n_consensus, Unset):
            if isinstance(self.n_consensus, int):
                files.append(("n_consensus", (None, str(self.n_consensus).encode(), "text/plain")))
            else:
                if self.n_consensus is not None:
                    files.append(("n_consensus", (None, str(self.n_consensus).encode(), "text/plain")))

        if not isinstance(self.seed, Unset):
            if isinstance(self.seed, int):
                files.append(("seed", (None, str(self.seed).encode(), "text/plain")))
            else:
                if self.seed is not None:
                    files.append(("seed", (None, str(self.seed).encode(), "text/plain")))

        if not isinstance(self.store, Unset):
            files.append(("store", (None, ("true" if self.store else "false").encode(), "text/plain")))

        if not isinstance(self.metadata, Unset):
            if isinstance(self.metadata, str):
                if self.metadata is not None:
                    files.append(("metadata", (None, str(self.metadata).encode(), "text/plain")))
            else:
                if self.metadata is not None:
                    files.append(("metadata", (None, str(self.metadata).encode(), "text/plain")))

        if not isinstance(self.extraction_id, Unset):
            if isinstance(self.extraction_id, str):
                if self.extraction_id is not None:
                    files.append(("extraction_id", (None, str(self.extraction_id).encode(), "text/plain")))
            else:
                if self.extraction_id is not None:
                    files.append(("extraction_id", (None, str(self.extraction_id).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            if prop is not None:
                files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_document(data: object) -> File | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, bytes):
                    raise TypeError()
                document_type_0 = File(payload=BytesIO(data))

                return document_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(File | None | Unset, data)

        document = _parse_document(d.pop("document", UNSET))

        def _parse_documents(data: object) -> list[File] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                documents_type_0 = []
                _documents_type_0 = data
                for documents_type_0_item_data in _documents_type_0:
                    documents_type_0_item = File(payload=BytesIO(documents_type_0_item_data))

                    documents_type_0.append(documents_type_0_item)

                return documents_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[File] | None | Unset, data)

        documents = _parse_documents(d.pop("documents", UNSET))

        model = d.pop("model", UNSET)

        temperature = d.pop("temperature", UNSET)

        image_resolution_dpi = d.pop("image_resolution_dpi", UNSET)

        n_consensus = d.pop("n_consensus", UNSET)

        seed = d.pop("seed", UNSET)

        store = d.pop("store", UNSET)

        metadata = d.pop("metadata", UNSET)

        extraction_id = d.pop("extraction_id", UNSET)

        project_extract_request = cls(
            document=document,
            documents=documents,
            model=model,
            temperature=temperature,
            image_resolution_dpi=image_resolution_dpi,
            n_consensus=n_consensus,
            seed=seed,
            store=store,
            metadata=metadata,
            extraction_id=extraction_id,
        )

        project_extract_request.additional_properties = d
        return project_extract_request

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
