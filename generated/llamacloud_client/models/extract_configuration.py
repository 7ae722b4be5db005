from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.extract_configuration_extraction_target import ExtractConfigurationExtractionTarget
from ..models.extract_configuration_tier import ExtractConfigurationTier
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extract_configuration_data_schema import ExtractConfigurationDataSchema


T = TypeVar("T", bound="ExtractConfiguration")


@_attrs_define
class ExtractConfiguration:
    """How a job extracts."""

    data_schema: ExtractConfigurationDataSchema
    """ JSON Schema of the data to extract. """
    target_pages: None | str | Unset = UNSET
    """ Pages to read, 1-based, as a list of numbers and ranges such as "1,3,5-7". """
    max_pages: int | None | Unset = UNSET
    """ Read at most this many pages. """
    tier: ExtractConfigurationTier | Unset = ExtractConfigurationTier.COST_EFFECTIVE
    """ Extraction quality and cost level (cost_effective, agentic, agentic_plus). """
    version: str | Unset = "latest"
    """ Extraction engine release: "latest" or a YYYY-MM-DD date that pins the newest release on or before it. """
    disable_cache: bool | Unset = False
    """ Neither reuse a cached result nor store this one. """
    extraction_target: ExtractConfigurationExtractionTarget | Unset = ExtractConfigurationExtractionTarget.PER_DOC
    """ What one extracted record covers: the whole document, each page, or each table row. """
    system_prompt: None | str | Unset = UNSET
    """ Extra instructions for the extraction model. """
    cite_sources: bool | Unset = False
    """ Record where in the document each value came from (in extract_metadata). """
    confidence_scores: bool | Unset = False
    """ Score the confidence of each value (in extract_metadata). """
    spreadsheet_mode: bool | Unset = False
    """ Read a spreadsheet workbook cell by cell (beta; agentic_plus tier only). """
    sheet_names: list[str] | None | Unset = UNSET
    """ With spreadsheet_mode: the worksheets to read (exact names); all when absent. """
    parse_tier: None | str | Unset = UNSET
    """ Parsing level used before extraction; defaults to the extraction tier. """
    parse_config_id: None | str | Unset = UNSET
    """ ID of a saved parse configuration. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data_schema = self.data_schema.to_dict()

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

        tier: str | Unset = UNSET
        if not isinstance(self.tier, Unset):
            tier = self.tier.value

        version = self.version

        disable_cache = self.disable_cache

        extraction_target: str | Unset = UNSET
        if not isinstance(self.extraction_target, Unset):
            extraction_target = self.extraction_target.value

        system_prompt: None | str | Unset
        if isinstance(self.system_prompt, Unset):
            system_prompt = UNSET
        else:
            system_prompt = self.system_prompt

        cite_sources = self.cite_sources

        confidence_scores = self.confidence_scores

        spreadsheet_mode = self.spreadsheet_mode

        sheet_names: list[str] | None | Unset
        if isinstance(self.sheet_names, Unset):
            sheet_names = UNSET
        elif isinstance(self.sheet_names, list):
            sheet_names = self.sheet_names

        else:
            sheet_names = self.sheet_names

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data_schema": data_schema,
            }
        )
        if target_pages is not UNSET:
            field_dict["target_pages"] = target_pages
        if max_pages is not UNSET:
            field_dict["max_pages"] = max_pages
        if tier is not UNSET:
            field_dict["tier"] = tier
        if version is not UNSET:
            field_dict["version"] = version
        if disable_cache is not UNSET:
            field_dict["disable_cache"] = disable_cache
        if extraction_target is not UNSET:
            field_dict["extraction_target"] = extraction_target
        if system_prompt is not UNSET:
            field_dict["system_prompt"] = system_prompt
        if cite_sources is not UNSET:
            field_dict["cite_sources"] = cite_sources
        if confidence_scores is not UNSET:
            field_dict["confidence_scores"] = confidence_scores
        if spreadsheet_mode is not UNSET:
            field_dict["spreadsheet_mode"] = spreadsheet_mode
        if sheet_names is not UNSET:
            field_dict["sheet_names"] = sheet_names
        if parse_tier is not UNSET:
            field_dict["parse_tier"] = parse_tier
        if parse_config_id is not UNSET:
            field_dict["parse_config_id"] = parse_config_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data_schema = ExtractConfigurationDataSchema.from_dict(d.pop("data_schema"))

        target_pages = d.pop("target_pages", UNSET)

        max_pages = d.pop("max_pages", UNSET)

        _tier = d.pop("tier", UNSET)
        tier: ExtractConfigurationTier | Unset
        if isinstance(_tier, Unset):
            tier = UNSET
        else:
            tier = ExtractConfigurationTier(_tier)

        version = d.pop("version", UNSET)

        disable_cache = d.pop("disable_cache", UNSET)

        _extraction_target = d.pop("extraction_target", UNSET)
        extraction_target: ExtractConfigurationExtractionTarget | Unset
        if isinstance(_extraction_target, Unset):
            extraction_target = UNSET
        else:
            extraction_target = ExtractConfigurationExtractionTarget(_extraction_target)

        system_prompt = d.pop("system_prompt", UNSET)

        cite_sources = d.pop("cite_sources", UNSET)

        confidence_scores = d.pop("confidence_scores", UNSET)

        spreadsheet_mode = d.pop("spreadsheet_mode", UNSET)

        def _parse_sheet_names(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                sheet_names_type_0 = cast(list[str], data)

                return sheet_names_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        sheet_names = _parse_sheet_names(d.pop("sheet_names", UNSET))

        parse_tier = d.pop("parse_tier", UNSET)

        parse_config_id = d.pop("parse_config_id", UNSET)

        extract_configuration = cls(
            data_schema=data_schema,
            target_pages=target_pages,
            max_pages=max_pages,
            tier=tier,
            version=version,
            disable_cache=disable_cache,
            extraction_target=extraction_target,
            system_prompt=system_prompt,
            cite_sources=cite_sources,
            confidence_scores=confidence_scores,
            spreadsheet_mode=spreadsheet_mode,
            sheet_names=sheet_names,
            parse_tier=parse_tier,
            parse_config_id=parse_config_id,
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
