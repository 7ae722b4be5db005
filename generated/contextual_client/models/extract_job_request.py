from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_config import ExtractConfig


T = TypeVar("T", bound="ExtractJobRequest")


@_attrs_define
class ExtractJobRequest:
    """Body of a request that starts a structured extraction job."""

    document_id: UUID
    """ ID (UUID) of the previously uploaded document to extract from. """
    schema_id: UUID
    """ ID (UUID) of the previously created schema that drives the extraction. """
    config: ExtractConfig | None | Unset = UNSET
    """ Options of the extraction process. """
    stream: bool | Unset = False
    """ Stream results as they become available: when true the response is a `text/event-stream` of JSON events
    instead of the job object. """

    def to_dict(self) -> dict[str, Any]:
        document_id = str(self.document_id)

        schema_id = str(self.schema_id)

        config: dict[str, Any] | None | Unset
        if isinstance(self.config, Unset):
            config = UNSET
        elif isinstance(self.config, ExtractConfig):
            config = self.config.to_dict()
        else:
            config = self.config

        stream = self.stream

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "document_id": document_id,
                "schema_id": schema_id,
            }
        )
        if config is not UNSET:
            field_dict["config"] = config
        if stream is not UNSET:
            field_dict["stream"] = stream

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        document_id = UUID(d.pop("document_id"))

        schema_id = UUID(d.pop("schema_id"))

        def _parse_config(data: object) -> ExtractConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                config_type_0 = ExtractConfig.from_dict(data)

                return config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractConfig | None | Unset, data)

        config = _parse_config(d.pop("config", UNSET))

        stream = d.pop("stream", UNSET)

        extract_job_request = cls(
            document_id=document_id,
            schema_id=schema_id,
            config=config,
            stream=stream,
        )

        return extract_job_request


# after the class: these models may import this one (an import cycle resolves)
from ..models.extract_config import ExtractConfig  # noqa: E402
