from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.extract_target import ExtractTarget
from ..models.extract_tier import ExtractTier
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_configuration_data_schema import ExtractConfigurationDataSchema


T = TypeVar("T", bound="ExtractConfiguration")


@_attrs_define
class ExtractConfiguration:
    """How a job extracts."""

    data_schema: ExtractConfigurationDataSchema
    """ JSON Schema of the data to extract. """
    tier: ExtractTier | None | Unset = UNSET
    extraction_target: ExtractTarget | None | Unset = UNSET
    system_prompt: None | str | Unset = UNSET
    """ Extra instructions for the extraction model. """
    target_pages: None | str | Unset = UNSET
    """ Pages to read, 1-based, as a list of numbers and ranges such as "1,3,5-7". """
    max_pages: int | None | Unset = UNSET
    """ Read at most this many pages. """
    cite_sources: bool | None | Unset = UNSET
    """ Record where in the document each value came from. """
    confidence_scores: bool | None | Unset = UNSET
    """ Score the confidence of each value. """
    lang: None | str | Unset = UNSET
    """ Language of the document, e.g. "en". """
    parse_tier: None | str | Unset = UNSET
    """ Parsing level used to read the document, e.g. "fast". """
    parse_config_id: None | str | Unset = UNSET
    """ ID of a saved parse configuration. """
    extract_version: None | str | Unset = UNSET
    """ Extraction engine version, e.g. "latest". """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data_schema = self.data_schema.to_dict()

        tier: None | str | Unset
        if isinstance(self.tier, Unset):
            tier = UNSET
        elif isinstance(self.tier, ExtractTier):
            tier = self.tier.value
        else:
            tier = self.tier

        extraction_target: None | str | Unset
        if isinstance(self.extraction_target, Unset):
            extraction_target = UNSET
        elif isinstance(self.extraction_target, ExtractTarget):
            extraction_target = self.extraction_target.value
        else:
            extraction_target = self.extraction_target

        system_prompt: None | str | Unset
        if isinstance(self.system_prompt, Unset):
            system_prompt = UNSET
        else:
            system_prompt = self.system_prompt

        target_pages: None | str | Unset
        if isinstance(self.target_pages, Unset):
            target_pages = UNSET
        else:
            target_pages = self.target_pages

        max_pages: int | None | Unset
        if isinstance(self.max_pages, Unset):
            max_pages = UNSET
        else:
            max_pages = self.max_pages

        cite_sources: bool | None | Unset
        if isinstance(self.cite_sources, Unset):
            cite_sources = UNSET
        else:
            cite_sources = self.cite_sources

        confidence_scores: bool | None | Unset
        if isinstance(self.confidence_scores, Unset):
            confidence_scores = UNSET
        else:
            confidence_scores = self.confidence_scores

        lang: None | str | Unset
        if isinstance(self.lang, Unset):
            lang = UNSET
        else:
            lang = self.lang

        parse_tier: None | str | Unset
        if isinstance(self.parse_tier, Unset):
            parse_tier = UNSET
        else:
            parse_tier = self.parse_tier

        parse_config_id: None | str | Unset
        if isinstance(self.parse_config_id, Unset):
            parse_config_id = UNSET
        else:
            parse_config_id = self.parse_config_id

        extract_version: None | str | Unset
        if isinstance(self.extract_version, Unset):
            extract_version = UNSET
        else:
            extract_version = self.extract_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data_schema": data_schema,
            }
        )
        if tier is not UNSET:
            field_dict["tier"] = tier
        if extraction_target is not UNSET:
            field_dict["extraction_target"] = extraction_target
        if system_prompt is not UNSET:
            field_dict["system_prompt"] = system_prompt
        if target_pages is not UNSET:
            field_dict["target_pages"] = target_pages
        if max_pages is not UNSET:
            field_dict["max_pages"] = max_pages
        if cite_sources is not UNSET:
            field_dict["cite_sources"] = cite_sources
        if confidence_scores is not UNSET:
            field_dict["confidence_scores"] = confidence_scores
        if lang is not UNSET:
            field_dict["lang"] = lang
        if parse_tier is not UNSET:
            field_dict["parse_tier"] = parse_tier
        if parse_config_id is not UNSET:
            field_dict["parse_config_id"] = parse_config_id
        if extract_version is not UNSET:
            field_dict["extract_version"] = extract_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data_schema = ExtractConfigurationDataSchema.from_dict(d.pop("data_schema"))

        def _parse_tier(data: object) -> ExtractTier | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tier_type_0 = ExtractTier(data)

                return tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractTier | None | Unset, data)

        tier = _parse_tier(d.pop("tier", UNSET))

        def _parse_extraction_target(data: object) -> ExtractTarget | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                extraction_target_type_0 = ExtractTarget(data)

                return extraction_target_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtractTarget | None | Unset, data)

        extraction_target = _parse_extraction_target(d.pop("extraction_target", UNSET))

        system_prompt = d.pop("system_prompt", UNSET)

        target_pages = d.pop("target_pages", UNSET)

        max_pages = d.pop("max_pages", UNSET)

        cite_sources = d.pop("cite_sources", UNSET)

        confidence_scores = d.pop("confidence_scores", UNSET)

        lang = d.pop("lang", UNSET)

        parse_tier = d.pop("parse_tier", UNSET)

        parse_config_id = d.pop("parse_config_id", UNSET)

        extract_version = d.pop("extract_version", UNSET)

        extract_configuration = cls(
            data_schema=data_schema,
            tier=tier,
            extraction_target=extraction_target,
            system_prompt=system_prompt,
            target_pages=target_pages,
            max_pages=max_pages,
            cite_sources=cite_sources,
            confidence_scores=confidence_scores,
            lang=lang,
            parse_tier=parse_tier,
            parse_config_id=parse_config_id,
            extract_version=extract_version,
        )

        extract_configuration.additional_properties = d
        return extract_configuration

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
from ..models.extract_configuration_data_schema import ExtractConfigurationDataSchema  # noqa: E402
