from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SelectedExample")


@_attrs_define
class SelectedExample:
    """An example of the project used for the extraction."""

    example_name: str
    """ Name of the example. """
    tokens_count: int
    """ Estimated number of tokens of the example. """
    example_id: str | Unset = UNSET
    """ ID of the example (absent for an example given inline). """
    similarity: float | Unset = UNSET
    """ Similarity between the example and the document. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        example_name = self.example_name

        tokens_count = self.tokens_count

        example_id = self.example_id

        similarity = self.similarity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "exampleName": example_name,
                "tokensCount": tokens_count,
            }
        )
        if example_id is not UNSET:
            field_dict["exampleId"] = example_id
        if similarity is not UNSET:
            field_dict["similarity"] = similarity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        example_name = d.pop("exampleName")

        tokens_count = d.pop("tokensCount")

        example_id = d.pop("exampleId", UNSET)

        similarity = d.pop("similarity", UNSET)

        selected_example = cls(
            example_name=example_name,
            tokens_count=tokens_count,
            example_id=example_id,
            similarity=similarity,
        )

        selected_example.additional_properties = d
        return selected_example

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
