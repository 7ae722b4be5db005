from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MarkdownResponse")


@_attrs_define
class MarkdownResponse:
    """The result of a NuMarkdown job. No operation answers it directly: it is
    the JSON held in the job's `outputData` string.

    """

    result: str
    """ The document as markdown. """
    raw_model_output: str
    """ The model's raw output (useful when `result` or `thinkingTrace`
    is empty).
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
    thinking_trace: str | Unset = UNSET
    """ The model's reasoning trace (the reference's prose calls it
    `reasoning`).
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        raw_model_output = self.raw_model_output

        output_tokens = self.output_tokens

        input_tokens = self.input_tokens

        total_tokens = self.total_tokens

        logprobs = self.logprobs

        output_token_probability = self.output_token_probability

        thinking_trace = self.thinking_trace

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
            }
        )
        if thinking_trace is not UNSET:
            field_dict["thinkingTrace"] = thinking_trace

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        result = d.pop("result")

        raw_model_output = d.pop("rawModelOutput")

        output_tokens = d.pop("outputTokens")

        input_tokens = d.pop("inputTokens")

        total_tokens = d.pop("totalTokens")

        logprobs = d.pop("logprobs")

        output_token_probability = d.pop("outputTokenProbability")

        thinking_trace = d.pop("thinkingTrace", UNSET)

        markdown_response = cls(
            result=result,
            raw_model_output=raw_model_output,
            output_tokens=output_tokens,
            input_tokens=input_tokens,
            total_tokens=total_tokens,
            logprobs=logprobs,
            output_token_probability=output_token_probability,
            thinking_trace=thinking_trace,
        )

        markdown_response.additional_properties = d
        return markdown_response

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
