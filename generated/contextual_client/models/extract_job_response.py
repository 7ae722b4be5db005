from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.document_status_enum import DocumentStatusEnum

T = TypeVar("T", bound="ExtractJobResponse")


@_attrs_define
class ExtractJobResponse:
    """The extraction job just created."""

    job_id: str
    """ Unique ID of the extraction job. """
    status: DocumentStatusEnum
    """ Status of an extraction job. """
    created_at: datetime.datetime
    """ When the job was created. """
    estimated_completion: datetime.datetime
    """ When the job is expected to complete. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        status = self.status.value

        created_at = self.created_at.isoformat()

        estimated_completion = self.estimated_completion.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "status": status,
                "created_at": created_at,
                "estimated_completion": estimated_completion,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        job_id = d.pop("job_id")

        status = DocumentStatusEnum.from_value(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        estimated_completion = datetime.datetime.fromisoformat(d.pop("estimated_completion"))

        extract_job_response = cls(
            job_id=job_id,
            status=status,
            created_at=created_at,
            estimated_completion=estimated_completion,
        )

        extract_job_response.additional_properties = d
        return extract_job_response

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
