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

        def _parse_service_tier(data: object) -> None | RetabParsedChatCompletionServiceTierType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                service_tier_type_0 = RetabParsedChatCompletionServiceTierType0(data)

                return service_tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RetabParsedChatCompletionServiceTierType0 | Unset, data)

        service_tier = _parse_service_tier(d.pop("service_tier", UNSET))

        system_fingerprint = d.pop("system_fingerprint", UNSET)

        def _parse_usage(data: object) -> CompletionUsage | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                usage_type_0 = CompletionUsage.from_dict(data)

                return usage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CompletionUsage | None | Unset, data)

        usage = _parse_usage(d.pop("usage", UNSET))

        extraction_id = d.pop("extraction_id", UNSET)

        def _parse_likelihoods(data: object) -> None | RetabParsedChatCompletionLikelihoodsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                likelihoods_type_0 = RetabParsedChatCompletionLikelihoodsType0.from_dict(data)

                return likelihoods_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RetabParsedChatCompletionLikelihoodsType0 | Unset, data)

        likelihoods = _parse_likelihoods(d.pop("likelihoods", UNSET))

        requires_human_review = d.pop("requires_human_review", UNSET)

        def _parse_request_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                request_at_type_0 = datetime.datetime.fromisoformat(data)

                return request_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        request_at = _parse_request_at(d.pop("request_at", UNSET))

        def _parse_first_token_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                first_token_at_type_0 = datetime.datetime.fromisoformat(data)

                return first_token_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        first_token_at = _parse_first_token_at(d.pop("first_token_at", UNSET))

        def _parse_last_token_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_token_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_token_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_token_at = _parse_last_token_at(d.pop("last_token_at", UNSET))

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
