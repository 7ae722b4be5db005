from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_job_attributions import ExtractJobAttributions
    from ..models.extract_job_metadata import ExtractJobMetadata
    from ..models.extract_job_results import ExtractJobResults


T = TypeVar("T", bound="ExtractJobResultsResponse")


@_attrs_define
class ExtractJobResultsResponse:
    """Results of a completed extraction job."""

    results: ExtractJobResults
    """ The extracted data; conforms to the job's schema. """
    metadata: ExtractJobMetadata
    """ Processing information, costs and performance metrics. """
    attributions: ExtractJobAttributions | None | Unset = UNSET
    """ Reasoning and confidence scores per field; present when the job ran with `per_key_attribution`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        results = self.results.to_dict()

        metadata = self.metadata.to_dict()

        attributions: dict[str, Any] | None | Unset
        if isinstance(self.attributions, Unset):
            attributions = UNSET
        elif isinstance(self.attributions, ExtractJobAttributions):
            attributions = self.attributions.to_dict()
        else:
            attributions = self.attributions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
                "metadata": metadata,
            }
        )
        if attributions is not UNSET:
            field_dict["attributions"] = attributions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        results = ExtractJobResults.from_dict(d.pop("results"))

        metadata = ExtractJobMetadata.from_dict(d.pop("metadata"))

        def _parse_attributions(data: object) -> ExtractJobAttributions | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributions_extract_job_attributions = ExtractJobAttributions.from_dict(data)

                return attributions_extract_job_attributions
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractJobAttributions | None | Unset, data)

        attributions = _parse_attributions(d.pop("attributions", UNSET))

        extract_job_results_response = cls(
            results=results,
            metadata=metadata,
            attributions=attributions,
        )

        extract_job_results_response.additional_properties = d
        return extract_job_results_response

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
from ..models.extract_job_attributions import ExtractJobAttributions  # noqa: E402
from ..models.extract_job_metadata import ExtractJobMetadata  # noqa: E402
from ..models.extract_job_results import ExtractJobResults  # noqa: E402
