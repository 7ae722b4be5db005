from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.extract_job_status import ExtractJobStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_configuration import ExtractConfiguration
    from ..models.extract_job_metadata import ExtractJobMetadata
    from ..models.extract_job_run_metadata import ExtractJobRunMetadata
    from ..models.extract_result_record import ExtractResultRecord


T = TypeVar("T", bound="ExtractV2Job")


@_attrs_define
class ExtractV2Job:
    """An extraction job."""

    id: str
    created_at: datetime.datetime
    document_input_value: str
    """ ID of the file or parse job the job reads. """
    project_id: str
    status: ExtractJobStatus
    """ Where a job stands. PENDING, THROTTLED and RUNNING are in progress; COMPLETED, FAILED and CANCELLED are
    terminal. `error_message` is set when the job FAILED. """
    updated_at: datetime.datetime
    configuration: ExtractConfiguration | None | Unset = UNSET
    """ The configuration the job ran with (with `expand=configuration`). """
    configuration_id: None | str | Unset = UNSET
    error_message: None | str | Unset = UNSET
    """ Why the job failed; set when `status` is FAILED. """
    extract_metadata: ExtractJobMetadata | None | Unset = UNSET
    """ Per-field metadata (with `expand=extract_metadata`). """
    extract_result: ExtractResultRecord | list[ExtractResultRecord] | None | Unset = UNSET
    """ The extracted data once the job has completed: one object for `per_doc`, a list of objects for `per_page`
    and `per_table_row`. """
    metadata: ExtractJobRunMetadata | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        created_at = self.created_at.isoformat()

        document_input_value = self.document_input_value

        project_id = self.project_id

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        configuration: dict[str, Any] | None | Unset
        if isinstance(self.configuration, Unset):
            configuration = UNSET
        elif isinstance(self.configuration, ExtractConfiguration):
            configuration = self.configuration.to_dict()
        else:
            configuration = self.configuration

        configuration_id: None | str | Unset
        if isinstance(self.configuration_id, Unset):
            configuration_id = UNSET
        else:
            configuration_id = self.configuration_id

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        extract_metadata: dict[str, Any] | None | Unset
        if isinstance(self.extract_metadata, Unset):
            extract_metadata = UNSET
        elif isinstance(self.extract_metadata, ExtractJobMetadata):
            extract_metadata = self.extract_metadata.to_dict()
        else:
            extract_metadata = self.extract_metadata

        extract_result: dict[str, Any] | list[dict[str, Any]] | None | Unset
        if isinstance(self.extract_result, Unset):
            extract_result = UNSET
        elif isinstance(self.extract_result, ExtractResultRecord):
            extract_result = self.extract_result.to_dict()
        elif isinstance(self.extract_result, list):
            extract_result = []
            for extract_result_type_1_item_data in self.extract_result:
                extract_result_type_1_item = extract_result_type_1_item_data.to_dict()
                extract_result.append(extract_result_type_1_item)

        else:
            extract_result = self.extract_result

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, ExtractJobRunMetadata):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "created_at": created_at,
                "document_input_value": document_input_value,
                "project_id": project_id,
                "status": status,
                "updated_at": updated_at,
            }
        )
        if configuration is not UNSET:
            field_dict["configuration"] = configuration
        if configuration_id is not UNSET:
            field_dict["configuration_id"] = configuration_id
        if error_message is not UNSET:
            field_dict["error_message"] = error_message
        if extract_metadata is not UNSET:
            field_dict["extract_metadata"] = extract_metadata
        if extract_result is not UNSET:
            field_dict["extract_result"] = extract_result
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        document_input_value = d.pop("document_input_value")

        project_id = d.pop("project_id")

        status = ExtractJobStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_configuration(data: object) -> ExtractConfiguration | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                configuration_type_0 = ExtractConfiguration.from_dict(data)

                return configuration_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractConfiguration | None | Unset, data)

        configuration = _parse_configuration(d.pop("configuration", UNSET))

        configuration_id = d.pop("configuration_id", UNSET)

        error_message = d.pop("error_message", UNSET)

        def _parse_extract_metadata(data: object) -> ExtractJobMetadata | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                extract_metadata_type_0 = ExtractJobMetadata.from_dict(data)

                return extract_metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractJobMetadata | None | Unset, data)

        extract_metadata = _parse_extract_metadata(d.pop("extract_metadata", UNSET))

        def _parse_extract_result(data: object) -> ExtractResultRecord | list[ExtractResultRecord] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                extract_result_type_0 = ExtractResultRecord.from_dict(data)

                return extract_result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, list):
                    raise TypeError()
                extract_result_type_1 = []
                _extract_result_type_1 = data
                for extract_result_type_1_item_data in _extract_result_type_1:
                    extract_result_type_1_item = ExtractResultRecord.from_dict(extract_result_type_1_item_data)

                    extract_result_type_1.append(extract_result_type_1_item)

                return extract_result_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractResultRecord | list[ExtractResultRecord] | None | Unset, data)

        extract_result = _parse_extract_result(d.pop("extract_result", UNSET))

        def _parse_metadata(data: object) -> ExtractJobRunMetadata | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = ExtractJobRunMetadata.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractJobRunMetadata | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        extract_v2_job = cls(
            id=id,
            created_at=created_at,
            document_input_value=document_input_value,
            project_id=project_id,
            status=status,
            updated_at=updated_at,
            configuration=configuration,
            configuration_id=configuration_id,
            error_message=error_message,
            extract_metadata=extract_metadata,
            extract_result=extract_result,
            metadata=metadata,
        )

        extract_v2_job.additional_properties = d
        return extract_v2_job

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
from ..models.extract_configuration import ExtractConfiguration  # noqa: E402
from ..models.extract_job_metadata import ExtractJobMetadata  # noqa: E402
from ..models.extract_job_run_metadata import ExtractJobRunMetadata  # noqa: E402
from ..models.extract_result_record import ExtractResultRecord  # noqa: E402
