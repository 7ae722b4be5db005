from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobStatusResponse")


@_attrs_define
class JobStatusResponse:
    """A job without its input and output data."""

    id: str
    """ ID of the job. """
    job_type: str
    """ Kind of job. """
    status: str
    """ The job's state. The reference does not enumerate the values:
    `completed` marks success; `failed`, `error` and `cancelled` mark
    failure; any other value means the job is still running.
     """
    owner_user: str
    """ User who owns the job. """
    started_at: datetime.datetime
    """ When the job started. """
    created_at: datetime.datetime
    """ When the job was created. """
    updated_at: datetime.datetime
    """ When the job was last updated. """
    timeout_seconds: int
    """ The job's execution timeout, in seconds. """
    owner_organization: str | Unset = UNSET
    """ Organization that owns the job, if any. """
    error_message: str | Unset = UNSET
    """ Why the job failed, if it did. """
    error_code: str | Unset = UNSET
    """ Error code, if the job failed. """
    completed_at: datetime.datetime | Unset = UNSET
    """ When the job ended, if it has. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        job_type = self.job_type

        status = self.status

        owner_user = self.owner_user

        started_at = self.started_at.isoformat()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        timeout_seconds = self.timeout_seconds

        owner_organization = self.owner_organization

        error_message = self.error_message

        error_code = self.error_code

        completed_at: str | Unset = UNSET
        if not isinstance(self.completed_at, Unset):
            completed_at = self.completed_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "jobType": job_type,
                "status": status,
                "ownerUser": owner_user,
                "startedAt": started_at,
                "createdAt": created_at,
                "updatedAt": updated_at,
                "timeoutSeconds": timeout_seconds,
            }
        )
        if owner_organization is not UNSET:
            field_dict["ownerOrganization"] = owner_organization
        if error_message is not UNSET:
            field_dict["errorMessage"] = error_message
        if error_code is not UNSET:
            field_dict["errorCode"] = error_code
        if completed_at is not UNSET:
            field_dict["completedAt"] = completed_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        job_type = d.pop("jobType")

        status = d.pop("status")

        owner_user = d.pop("ownerUser")

        started_at = datetime.datetime.fromisoformat(d.pop("startedAt"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        timeout_seconds = d.pop("timeoutSeconds")

        owner_organization = d.pop("ownerOrganization", UNSET)

        error_message = d.pop("errorMessage", UNSET)

        error_code = d.pop("errorCode", UNSET)

        _completed_at = d.pop("completedAt", UNSET)
        completed_at: datetime.datetime | Unset
        if isinstance(_completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = datetime.datetime.fromisoformat(_completed_at)

        job_status_response = cls(
            id=id,
            job_type=job_type,
            status=status,
            owner_user=owner_user,
            started_at=started_at,
            created_at=created_at,
            updated_at=updated_at,
            timeout_seconds=timeout_seconds,
            owner_organization=owner_organization,
            error_message=error_message,
            error_code=error_code,
            completed_at=completed_at,
        )

        job_status_response.additional_properties = d
        return job_status_response

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
