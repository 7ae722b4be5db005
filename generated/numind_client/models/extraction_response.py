from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.extraction_error import ExtractionError
    from ..models.extraction_response_result import ExtractionResponseResult
    from ..models.image_info import ImageInfo
    from ..models.selected_example import SelectedExample
    from ..models.text_info import TextInfo


T = TypeVar("T", bound="ExtractionResponse")


@_attrs_define
class ExtractionResponse:
    """The result of a structured extraction."""

    result: ExtractionResponseResult
    """ The extracted information; conforms to the project's template (an
    empty template when the extraction failed).
     """
    raw_model_output: str
    """ The model's output before post-processing (the reference's prose
    calls it `rawResponse`).
     """
    output_tokens: int
    """ Number of tokens generated. """
    input_tokens: int
    """ Number of tokens read (the prompt). """
    total_tokens: int
    """ Input plus output tokens. """
    logprobs: float
    """ Log-probability of the output (sum over its tokens). """
    output_token_probability: float
    """ Probability of the output tokens. """
    random_seed: int
    """ The seed this inference ran with. """
    is_truncated: bool
    """ Whether the output stopped at the token limit. """
    thinking_trace: str | Unset = UNSET
    """ The model's reasoning, when thinking was enabled. """
    error: ExtractionError | Unset = UNSET
    """ Why the raw model output did not conform to the template. """
    document_info: ImageInfo | TextInfo | Unset = UNSET
    """ The processed document, as images (a file) or as text. """
    selected_examples: list[SelectedExample] | Unset = UNSET
    """ The project examples selected as context for this document. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result.to_dict()

        raw_model_output = self.raw_model_output

        output_tokens = self.output_tokens

        input_tokens = self.input_tokens

        total_tokens = self.total_tokens

        logprobs = self.logprobs

        output_token_probability = self.output_token_probability

        random_seed = self.random_seed

        is_truncated = self.is_truncated

        thinking_trace = self.thinking_trace

        error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error, Unset):
            error = self.error.to_dict()

        document_info: dict[str, Any] | Unset
        if isinstance(self.document_info, Unset):
            document_info = UNSET
        elif isinstance(self.document_info, ImageInfo):
            document_info = self.document_info.to_dict()
        else:
            document_info = self.document_info.to_dict()

        selected_examples: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.selected_examples, Unset):
            selected_examples = []
            for selected_examples_item_data in self.selected_examples:
                selected_examples_item = selected_examples_item_data.to_dict()
                selected_examples.append(selected_examples_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
                "rawModelOutput": raw_model_output,
                "outputTokens": output_tokens,
                "inputTokens": input_tokens,
                "totalTokens": total_tokens,
                "logprobs": logprobs,
                "outputTokenProbability": output_token_probability,
                "randomSeed": random_seed,
                "isTruncated": is_truncated,
            }
        )
        if thinking_trace is not UNSET:
            field_dict["thinkingTrace"] = thinking_trace
        if error is not UNSET:
            field_dict["error"] = error
        if document_info is not UNSET:
            field_dict["documentInfo"] = document_info
        if selected_examples is not UNSET:
            field_dict["selectedExamples"] = selected_examples

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        result = ExtractionResponseResult.from_dict(d.pop("result"))

        raw_model_output = d.pop("rawModelOutput")

        output_tokens = d.pop("outputTokens")

        input_tokens = d.pop("inputTokens")

        total_tokens = d.pop("totalTokens")

        logprobs = d.pop("logprobs")

        output_token_probability = d.pop("outputTokenProbability")

        random_seed = d.pop("randomSeed")

        is_truncated = d.pop("isTruncated")

        thinking_trace = d.pop("thinkingTrace", UNSET)

        _error = d.pop("error", UNSET)
        error: ExtractionError | Unset
        if isinstance(_error, Unset):
            error = UNSET
        else:
            error = ExtractionError.from_dict(_error)

        def _parse_document_info(data: object) -> ImageInfo | TextInfo | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                document_info_type_0 = ImageInfo.from_dict(data)

                return document_info_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            document_info_type_1 = TextInfo.from_dict(data)

            return document_info_type_1

        document_info = _parse_document_info(d.pop("documentInfo", UNSET))

        _selected_examples = d.pop("selectedExamples", UNSET)
        selected_examples: list[SelectedExample] | Unset = UNSET
        if _selected_examples is not UNSET:
            selected_examples = []
            for selected_examples_item_data in _selected_examples:
                selected_examples_item = SelectedExample.from_dict(selected_examples_item_data)

                selected_examples.append(selected_examples_item)

        extraction_response = cls(
            result=result,
            raw_model_output=raw_model_output,
            output_tokens=output_tokens,
            input_tokens=input_tokens,
            total_tokens=total_tokens,
            logprobs=logprobs,
            output_token_probability=output_token_probability,
            random_seed=random_seed,
            is_truncated=is_truncated,
            thinking_trace=thinking_trace,
            error=error,
            document_info=document_info,
            selected_examples=selected_examples,
        )

        extraction_response.additional_properties = d
        return extraction_response

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
from ..models.extraction_error import ExtractionError  # noqa: E402
from ..models.extraction_response_result import ExtractionResponseResult  # noqa: E402
from ..models.image_info import ImageInfo  # noqa: E402
from ..models.selected_example import SelectedExample  # noqa: E402
from ..models.text_info import TextInfo  # noqa: E402
