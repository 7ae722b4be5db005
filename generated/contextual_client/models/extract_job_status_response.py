from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.document_status_enum import DocumentStatusEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtractJobStatusResponse")


@_attrs_define
class ExtractJobStatusResponse:
    """Status and progress of an extraction job."""

    job_id: str
    """ Unique ID of the extraction job. """
    status: DocumentStatusEnum
    """ Status of an extraction job. """
    completion_percentage: float
    """ Overall progress, 0 to 100. """
    current_step: None | str | Unset = UNSET
    """ The processing stage the job is in. """
    fields_processed: int | None | Unset = UNSET
    """ Number of the schema's fields already extracted. """
    total_fields: int | None | Unset = UNSET
    """ Total number of the schema's fields to extract. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        status = self.status.value

        completion_percentage = self.completion_percentage

        current_step: None | str | Unset
        if isinstance(self.current_step, Unset):
            current_step = UNSET
        else:
            current_step = self.current_step

        fields_processed: int | None | Unset
        if isinstance(self.fields_processed, Unset):
            fields_processed = UNSET
        else:
            fields_processed = self.fields_processed

        total_fields: int | None | Unset
        if isinstance(self.total_fields, Unset):
            total_fields = UNSET
        else:
            total_fields = self.total_fields

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "status": status,
                "completion_percentage": completion_percentage,
            }
        )
        if current_step is not UNSET:
            field_dict["current_step"] = current_step
        if fields_processed is not UNSET:
            field_dict["fields_processed"] = fields_processed
        if total_fields is not UNSET:
            field_dict["total_fields"] = total_fields

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        job_id = d.pop("job_id")

        status = DocumentStatusEnum(d.pop("status"))

        completion_percentage = d.pop("completion_percentage")

        current_step = d.pop("current_step", UNSET)

        fields_processed = d.pop("fields_processed", UNSET)

        total_fields = d.pop("total_fields", UNSET)

        extract_job_status_response = cls(
            job_id=job_id,
            status=status,
            completion_percentage=completion_percentage,
            current_step=current_step,
            fields_processed=fields_processed,
            total_fields=total_fields,
        )

        extract_job_status_response.additional_properties = d
        return extract_job_status_response

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
