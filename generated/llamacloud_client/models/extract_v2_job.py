from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_configuration import ExtractConfiguration
    from ..models.extract_job_metadata import ExtractJobMetadata
    from ..models.extract_job_run_metadata import ExtractJobRunMetadata
    from ..models.extract_usage import ExtractUsage
    from ..models.extract_v2_job_extract_result_type_0 import ExtractV2JobExtractResultType0
    from ..models.extract_v2_job_extract_result_type_1_item import ExtractV2JobExtractResultType1Item


T = TypeVar("T", bound="ExtractV2Job")


@_attrs_define
class ExtractV2Job:
    """An extraction job."""

    file_input: str
    """ ID of an uploaded file (dfl-...) or of a completed parse job (pjb-...). """
    id: str
    """ The job ID. """
    project_id: str
    """ The project the job belongs to. """
    status: str
    """ Where the job stands: PENDING, THROTTLED, RUNNING (in progress), COMPLETED, FAILED, CANCELLED (terminal).
    """
    created_at: datetime.datetime
    """ When the job was created. """
    updated_at: datetime.datetime
    """ When the job last changed. """
    configuration_id: None | str | Unset = UNSET
    """ The saved configuration the job used, if any. """
    configuration: ExtractConfiguration | None | Unset = UNSET
    """ The configuration the job ran with (with `expand=configuration`). """
    error_message: None | str | Unset = UNSET
    """ Why the job failed; set when `status` is FAILED. """
    extract_result: ExtractV2JobExtractResultType0 | list[ExtractV2JobExtractResultType1Item] | None | Unset = UNSET
    """ The extracted data once the job has completed: one object for `per_doc`, a list of objects for `per_page`
    and `per_table_row`. """
    extract_metadata: ExtractJobMetadata | None | Unset = UNSET
    """ Per-field metadata (with `expand=extract_metadata`). """
    metadata: ExtractJobRunMetadata | None | Unset = UNSET
    """ Job-level metadata: usage (pages extracted and billed). """
    usage: ExtractUsage | None | Unset = UNSET
    """ Credits billed against the job (with expand=usage). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_input = self.file_input

        id = self.id

        project_id = self.project_id

        status = self.status

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        configuration_id: None | str | Unset
        if isinstance(self.configuration_id, Unset):
            configuration_id = UNSET
        else:
            configuration_id = self.configuration_id

        configuration: dict[str, Any] | None | Unset
        if isinstance(self.configuration, Unset):
            configuration = UNSET
        elif isinstance(self.configuration, ExtractConfiguration):
            configuration = self.configuration.to_dict()
        else:
            configuration = self.configuration

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        extract_result: dict[str, Any] | list[dict[str, Any]] | None | Unset
        if isinstance(self.extract_result, Unset):
            extract_result = UNSET
        elif isinstance(self.extract_result, ExtractV2JobExtractResultType0):
            extract_result = self.extract_result.to_dict()
        elif isinstance(self.extract_result, list):
            extract_result = []
            for extract_result_type_1_item_data in self.extract_result:
                extract_result_type_1_item = extract_result_type_1_item_data.to_dict()
                extract_result.append(extract_result_type_1_item)

        else:
            extract_result = self.extract_result

        extract_metadata: dict[str, Any] | None | Unset
        if isinstance(self.extract_metadata, Unset):
            extract_metadata = UNSET
        elif isinstance(self.extract_metadata, ExtractJobMetadata):
            extract_metadata = self.extract_metadata.to_dict()
        else:
            extract_metadata = self.extract_metadata

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, ExtractJobRunMetadata):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        usage: dict[str, Any] | None | Unset
        if isinstance(self.usage, Unset):
            usage = UNSET
        elif isinstance(self.usage, ExtractUsage):
            usage = self.usage.to_dict()
        else:
            usage = self.usage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_input": file_input,
                "id": id,
                "project_id": project_id,
                "status": status,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if configuration_id is not UNSET:
            field_dict["configuration_id"] = configuration_id
        if configuration is not UNSET:
            field_dict["configuration"] = configuration
        if error_message is not UNSET:
            field_dict["error_message"] = error_message
        if extract_result is not UNSET:
            field_dict["extract_result"] = extract_result
        if extract_metadata is not UNSET:
            field_dict["extract_metadata"] = extract_metadata
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if usage is not UNSET:
            field_dict["usage"] = usage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_input = d.pop("file_input")

        id = d.pop("id")

        project_id = d.pop("project_id")

        status = d.pop("status")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        configuration_id = d.pop("configuration_id", UNSET)

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

        error_message = d.pop("error_message", UNSET)

        def _parse_extract_result(
            data: object,
        ) -> ExtractV2JobExtractResultType0 | list[ExtractV2JobExtractResultType1Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                extract_result_type_0 = ExtractV2JobExtractResultType0.from_dict(data)

                return extract_result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, list):
                    raise TypeError()
                extract_result_type_1 = []
                _extract_result_type_1 = data
                for extract_result_type_1_item_data in _extract_result_type_1:
                    extract_result_type_1_item = ExtractV2JobExtractResultType1Item.from_dict(
                        extract_result_type_1_item_data
                    )

                    extract_result_type_1.append(extract_result_type_1_item)

                return extract_result_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractV2JobExtractResultType0 | list[ExtractV2JobExtractResultType1Item] | None | Unset, data)

        extract_result = _parse_extract_result(d.pop("extract_result", UNSET))

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

        def _parse_usage(data: object) -> ExtractUsage | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                usage_type_0 = ExtractUsage.from_dict(data)

                return usage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractUsage | None | Unset, data)

        usage = _parse_usage(d.pop("usage", UNSET))

        extract_v2_job = cls(
            file_input=file_input,
            id=id,
            project_id=project_id,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            configuration_id=configuration_id,
            configuration=configuration,
            error_message=error_message,
            extract_result=extract_result,
            extract_metadata=extract_metadata,
            metadata=metadata,
            usage=usage,
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
from ..models.extract_usage import ExtractUsage  # noqa: E402
from ..models.extract_v2_job_extract_result_type_0 import ExtractV2JobExtractResultType0  # noqa: E402
from ..models.extract_v2_job_extract_result_type_1_item import ExtractV2JobExtractResultType1Item  # noqa: E402
