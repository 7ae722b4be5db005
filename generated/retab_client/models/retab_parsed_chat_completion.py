from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.retab_parsed_chat_completion_service_tier_type_0 import RetabParsedChatCompletionServiceTierType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.completion_usage import CompletionUsage
    from ..models.retab_parsed_chat_completion_likelihoods_type_0 import RetabParsedChatCompletionLikelihoodsType0
    from ..models.retab_parsed_choice import RetabParsedChoice


T = TypeVar("T", bound="RetabParsedChatCompletion")


@_attrs_define
class RetabParsedChatCompletion:
    """The extraction answer in the shape of an OpenAI chat completion; choices[].message.parsed holds the extracted
    object.

    """

    id: str
    """ Identifier of the completion. """
    choices: list[RetabParsedChoice]
    """ The completion choices; the first one carries the extraction. """
    created: int
    """ Unix time (seconds) at which the completion was created. """
    model: str
    """ Model that produced the completion. """
    object_: Literal["chat.completion"]
    """ Always "chat.completion". """
    service_tier: None | RetabParsedChatCompletionServiceTierType0 | Unset = UNSET
    """ Service tier that processed the request. """
    system_fingerprint: None | str | Unset = UNSET
    """ Fingerprint of the backend configuration. """
    usage: CompletionUsage | None | Unset = UNSET
    """ Token usage of the request. """
    extraction_id: None | str | Unset = UNSET
    """ Identifier of the stored extraction. """
    likelihoods: None | RetabParsedChatCompletionLikelihoodsType0 | Unset = UNSET
    """ Uncertainty of each extracted field when consensus is used; has the same structure as the extracted object.
    """
    requires_human_review: bool | Unset = False
    """ Whether the extraction should be reviewed by a human. """
    request_at: datetime.datetime | None | Unset = UNSET
    """ When the request was received. """
    first_token_at: datetime.datetime | None | Unset = UNSET
    """ When the first token of the document was produced; equals last_token_at when not streaming. """
    last_token_at: datetime.datetime | None | Unset = UNSET
    """ When the last token of the document was produced. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        choices = []
        for choices_item_data in self.choices:
            choices_item = choices_item_data.to_dict()
            choices.append(choices_item)

        created = self.created

        model = self.model

        object_ = self.object_

        service_tier: None | str | Unset
        if isinstance(self.service_tier, Unset):
            service_tier = UNSET
        elif isinstance(self.service_tier, RetabParsedChatCompletionServiceTierType0):
            service_tier = self.service_tier.value
        else:
            service_tier = self.service_tier

        system_fingerprint: None | str | Unset
        if isinstance(self.system_fingerprint, Unset):
            system_fingerprint = UNSET
        else:
            system_fingerprint = self.system_fingerprint

        usage: dict[str, Any] | None | Unset
        if isinstance(self.usage, Unset):
            usage = UNSET
        elif isinstance(self.usage, CompletionUsage):
            usage = self.usage.to_dict()
        else:
            usage = self.usage

        extraction_id: None | str | Unset
        if isinstance(self.extraction_id, Unset):
            extraction_id = UNSET
        else:
            extraction_id = self.extraction_id

        likelihoods: dict[str, Any] | None | Unset
        if isinstance(self.likelihoods, Unset):
            likelihoods = UNSET
        elif isinstance(self.likelihoods, RetabParsedChatCompletionLikelihoodsType0):
            likelihoods = self.likelihoods.to_dict()
        else:
            likelihoods = self.likelihoods

        requires_human_review = self.requires_human_review

        request_at: None | str | Unset
        if isinstance(self.request_at, Unset):
            request_at = UNSET
        elif isinstance(self.request_at, datetime.datetime):
            request_at = self.request_at.isoformat()
        else:
            request_at = self.request_at

        first_token_at: None | str | Unset
        if isinstance(self.first_token_at, Unset):
            first_token_at = UNSET
        elif isinstance(self.first_token_at, datetime.datetime):
            first_token_at = self.first_token_at.isoformat()
        else:
            first_token_at = self.first_token_at

        last_token_at: None | str | Unset
        if isinstance(self.last_token_at, Unset):
            last_token_at = UNSET
        elif isinstance(self.last_token_at, datetime.datetime):
            last_token_at = self.last_token_at.isoformat()
        else:
            last_token_at = self.last_token_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "choices": choices,
                "created": created,
                "model": model,
                "object": object_,
            }
        )
        if service_tier is not UNSET:
            field_dict["service_tier"] = service_tier
        if system_fingerprint is not UNSET:
            field_dict["system_fingerprint"] = system_fingerprint
        if usage is not UNSET:
            field_dict["usage"] = usage
        if extraction_id is not UNSET:
            field_dict["extraction_id"] = extraction_id
        if likelihoods is not UNSET:
            field_dict["likelihoods"] = likelihoods
        if requires_human_review is not UNSET:
            field_dict["requires_human_review"] = requires_human_review
        if request_at is not UNSET:
            field_dict["request_at"] = request_at
        if first_token_at is not UNSET:
            field_dict["first_token_at"] = first_token_at
        if last_token_at is not UNSET:
            field_dict["last_token_at"] = last_token_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        choices = []
        _choices = d.pop("choices")
        for choices_item_data in _choices:
            choices_item = RetabParsedChoice.from_dict(choices_item_data)

            choices.append(choices_item)

        created = d.pop("created")

        model = d.pop("model")

        object_ = cast(Literal["chat.completion"], d.pop("object"))
        if object_ != "chat.completion":
            raise ValueError(f"object must match const 'chat.completion', got '{object_}'")

        _service_tier_data = d.pop("service_tier", UNSET)
        service_tier: None | RetabParsedChatCompletionServiceTierType0 | Unset
        if isinstance(_service_tier_data, str):
            try:
                service_tier_type_0 = RetabParsedChatCompletionServiceTierType0.from_value(_service_tier_data)

                service_tier = service_tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                service_tier = cast(None | RetabParsedChatCompletionServiceTierType0 | Unset, _service_tier_data)
        else:
            service_tier = cast(None | RetabParsedChatCompletionServiceTierType0 | Unset, _service_tier_data)

        system_fingerprint = d.pop("system_fingerprint", UNSET)

        _usage_data = d.pop("usage", UNSET)
        usage: CompletionUsage | None | Unset
        if isinstance(_usage_data, dict):
            try:
                usage_type_0 = CompletionUsage.from_dict(_usage_data)

                usage = usage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                usage = cast(CompletionUsage | None | Unset, _usage_data)
        else:
            usage = cast(CompletionUsage | None | Unset, _usage_data)

        extraction_id = d.pop("extraction_id", UNSET)

        _likelihoods_data = d.pop("likelihoods", UNSET)
        likelihoods: None | RetabParsedChatCompletionLikelihoodsType0 | Unset
        if isinstance(_likelihoods_data, dict):
            try:
                likelihoods_type_0 = RetabParsedChatCompletionLikelihoodsType0.from_dict(_likelihoods_data)

                likelihoods = likelihoods_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                likelihoods = cast(None | RetabParsedChatCompletionLikelihoodsType0 | Unset, _likelihoods_data)
        else:
            likelihoods = cast(None | RetabParsedChatCompletionLikelihoodsType0 | Unset, _likelihoods_data)

        requires_human_review = d.pop("requires_human_review", UNSET)

        _request_at_data = d.pop("request_at", UNSET)
        request_at: datetime.datetime | None | Unset
        if isinstance(_request_at_data, str):
            try:
                request_at_type_0 = datetime.datetime.fromisoformat(_request_at_data)

                request_at = request_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                request_at = cast(datetime.datetime | None | Unset, _request_at_data)
        else:
            request_at = cast(datetime.datetime | None | Unset, _request_at_data)

        _first_token_at_data = d.pop("first_token_at", UNSET)
        first_token_at: datetime.datetime | None | Unset
        if isinstance(_first_token_at_data, str):
            try:
                first_token_at_type_0 = datetime.datetime.fromisoformat(_first_token_at_data)

                first_token_at = first_token_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                first_token_at = cast(datetime.datetime | None | Unset, _first_token_at_data)
        else:
            first_token_at = cast(datetime.datetime | None | Unset, _first_token_at_data)

        _last_token_at_data = d.pop("last_token_at", UNSET)
        last_token_at: datetime.datetime | None | Unset
        if isinstance(_last_token_at_data, str):
            try:
                last_token_at_type_0 = datetime.datetime.fromisoformat(_last_token_at_data)

                last_token_at = last_token_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                last_token_at = cast(datetime.datetime | None | Unset, _last_token_at_data)
        else:
            last_token_at = cast(datetime.datetime | None | Unset, _last_token_at_data)

        retab_parsed_chat_completion = cls(
            id=id,
            choices=choices,
            created=created,
            model=model,
            object_=object_,
            service_tier=service_tier,
            system_fingerprint=system_fingerprint,
            usage=usage,
            extraction_id=extraction_id,
            likelihoods=likelihoods,
            requires_human_review=requires_human_review,
            request_at=request_at,
            first_token_at=first_token_at,
            last_token_at=last_token_at,
        )

        retab_parsed_chat_completion.additional_properties = d
        return retab_parsed_chat_completion

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
from ..models.completion_usage import CompletionUsage  # noqa: E402
from ..models.retab_parsed_chat_completion_likelihoods_type_0 import RetabParsedChatCompletionLikelihoodsType0  # noqa: E402
from ..models.retab_parsed_choice import RetabParsedChoice  # noqa: E402
