"""Contains all the data models used in inputs/outputs"""

from .completion_usage import CompletionUsage
from .http_validation_error import HTTPValidationError
from .parsed_chat_completion_message import ParsedChatCompletionMessage
from .parsed_chat_completion_message_parsed_type_0 import ParsedChatCompletionMessageParsedType0
from .project_extract_request import ProjectExtractRequest
from .retab_parsed_chat_completion import RetabParsedChatCompletion
from .retab_parsed_chat_completion_likelihoods_type_0 import RetabParsedChatCompletionLikelihoodsType0
from .retab_parsed_chat_completion_service_tier_type_0 import RetabParsedChatCompletionServiceTierType0
from .retab_parsed_choice import RetabParsedChoice
from .validation_error import ValidationError

__all__ = (
    "CompletionUsage",
    "HTTPValidationError",
    "ParsedChatCompletionMessage",
    "ParsedChatCompletionMessageParsedType0",
    "ProjectExtractRequest",
    "RetabParsedChatCompletion",
    "RetabParsedChatCompletionLikelihoodsType0",
    "RetabParsedChatCompletionServiceTierType0",
    "RetabParsedChoice",
    "ValidationError",
)
