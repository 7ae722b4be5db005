from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.extract_config_model import ExtractConfigModel
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtractConfig")


@_attrs_define
class ExtractConfig:
    """Options of a structured extraction. Every setting has a sensible default; set only what your use case needs."""

    model: ExtractConfigModel | Unset = ExtractConfigModel.GEMINI_2_5_FLASH
    """ Base model of the extraction: `gemini-2.5-flash` is faster and cheaper, `gemini-2.5-pro` more accurate and
    more expensive. """
    max_num_concurrent_requests: int | Unset = UNSET
    """ Number of processing requests run in parallel (1-20). """
    validate_response_schema: bool | Unset = UNSET
    """ Validate the extracted data against the schema. """
    per_key_attribution: bool | Unset = False
    """ Add attributions to every extracted field: reasoning, confidence score and page numbers. Costs more time and
    money. """
    temperature: float | None | Unset = UNSET
    """ Sampling temperature (0.0-2.0): lower is more deterministic and consistent, higher varies more. Null keeps
    the model's default. """
    seed: int | None | Unset = UNSET
    """ Random seed, for reproducible results. """
    enable_thinking: bool | Unset = True
    """ Let the model reason before answering: can improve accuracy, costs more time and money. """
    n_max_retries: int | None | Unset = UNSET
    """ Maximum number of retries of a failed request. """
    additional_instructions: None | str | Unset = UNSET
    """ Extra instructions appended to the model's prompt, to give it more context or direction. """
    enable_agentic_array_extraction: bool | Unset = False
    """ Extract arrays of objects agentically where possible; needs `isolate_arrays=True` in the splitter
    configuration. It can also be enabled for a single array of the JSON Schema by giving that array
    `agenticArrayExtractionMaxItemsPerTurn` greater than 0. """

    def to_dict(self) -> dict[str, Any]:
        model: str | Unset = UNSET
        if not isinstance(self.model, Unset):
            model = self.model.value

        max_num_concurrent_requests = self.max_num_concurrent_requests

        validate_response_schema = self.validate_response_schema

        per_key_attribution = self.per_key_attribution

        temperature: float | None | Unset
        if isinstance(self.temperature, Unset):
            temperature = UNSET
        else:
            temperature = self.temperature

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        enable_thinking = self.enable_thinking

        n_max_retries: int | None | Unset
        if isinstance(self.n_max_retries, Unset):
            n_max_retries = UNSET
        else:
            n_max_retries = self.n_max_retries

        additional_instructions: None | str | Unset
        if isinstance(self.additional_instructions, Unset):
            additional_instructions = UNSET
        else:
            additional_instructions = self.additional_instructions

        enable_agentic_array_extraction = self.enable_agentic_array_extraction

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if model is not UNSET:
            field_dict["model"] = model
        if max_num_concurrent_requests is not UNSET:
            field_dict["max_num_concurrent_requests"] = max_num_concurrent_requests
        if validate_response_schema is not UNSET:
            field_dict["validate_response_schema"] = validate_response_schema
        if per_key_attribution is not UNSET:
            field_dict["per_key_attribution"] = per_key_attribution
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if seed is not UNSET:
            field_dict["seed"] = seed
        if enable_thinking is not UNSET:
            field_dict["enable_thinking"] = enable_thinking
        if n_max_retries is not UNSET:
            field_dict["n_max_retries"] = n_max_retries
        if additional_instructions is not UNSET:
            field_dict["additional_instructions"] = additional_instructions
        if enable_agentic_array_extraction is not UNSET:
            field_dict["enable_agentic_array_extraction"] = enable_agentic_array_extraction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _model = d.pop("model", UNSET)
        model: ExtractConfigModel | Unset
        if isinstance(_model, Unset):
            model = UNSET
        else:
            model = ExtractConfigModel(_model)

        max_num_concurrent_requests = d.pop("max_num_concurrent_requests", UNSET)

        validate_response_schema = d.pop("validate_response_schema", UNSET)

        per_key_attribution = d.pop("per_key_attribution", UNSET)

        temperature = d.pop("temperature", UNSET)

        seed = d.pop("seed", UNSET)

        enable_thinking = d.pop("enable_thinking", UNSET)

        n_max_retries = d.pop("n_max_retries", UNSET)

        additional_instructions = d.pop("additional_instructions", UNSET)

        enable_agentic_array_extraction = d.pop("enable_agentic_array_extraction", UNSET)

        extract_config = cls(
            model=model,
            max_num_concurrent_requests=max_num_concurrent_requests,
            validate_response_schema=validate_response_schema,
            per_key_attribution=per_key_attribution,
            temperature=temperature,
            seed=seed,
            enable_thinking=enable_thinking,
            n_max_retries=n_max_retries,
            additional_instructions=additional_instructions,
            enable_agentic_array_extraction=enable_agentic_array_extraction,
        )

        return extract_config
