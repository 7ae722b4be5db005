from enum import StrEnum
from typing import Self, cast


class WebhookConfigurationWebhookEventsType0Item(StrEnum):
    """Values the spec lists. A value it does not list still parses (forward compatibility):
    it becomes a member that is not among the listed ones, keeps its value, and serialises back unchanged.
    """

    BATCH_CANCELLED = "batch.cancelled"
    BATCH_ERROR = "batch.error"
    BATCH_PENDING = "batch.pending"
    BATCH_RUNNING = "batch.running"
    BATCH_SUCCESS = "batch.success"
    CLASSIFY_CANCELLED = "classify.cancelled"
    CLASSIFY_ERROR = "classify.error"
    CLASSIFY_PARTIAL_SUCCESS = "classify.partial_success"
    CLASSIFY_PENDING = "classify.pending"
    CLASSIFY_RUNNING = "classify.running"
    CLASSIFY_SUCCESS = "classify.success"
    EXTRACT_CANCELLED = "extract.cancelled"
    EXTRACT_ERROR = "extract.error"
    EXTRACT_PARTIAL_SUCCESS = "extract.partial_success"
    EXTRACT_PENDING = "extract.pending"
    EXTRACT_SUCCESS = "extract.success"
    PARSE_CANCELLED = "parse.cancelled"
    PARSE_ERROR = "parse.error"
    PARSE_PARTIAL_SUCCESS = "parse.partial_success"
    PARSE_PENDING = "parse.pending"
    PARSE_RUNNING = "parse.running"
    PARSE_SUCCESS = "parse.success"
    SHEETS_CANCELLED = "sheets.cancelled"
    SHEETS_ERROR = "sheets.error"
    SHEETS_PARTIAL_SUCCESS = "sheets.partial_success"
    SHEETS_PENDING = "sheets.pending"
    SHEETS_SUCCESS = "sheets.success"
    SPLIT_CANCELLED = "split.cancelled"
    SPLIT_ERROR = "split.error"
    SPLIT_PENDING = "split.pending"
    SPLIT_PROCESSING = "split.processing"
    SPLIT_SUCCESS = "split.success"
    UNMAPPED_EVENT = "unmapped_event"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """Whether the spec lists this value."""
        return self._value_ in type(self)._value2member_map_

    @classmethod
    def from_value(cls, value: str) -> Self:
        """The member for `value` (what the models parse with): a listed one by a dict lookup,
        cheaper than calling the class; any other through the class (see `_missing_`)."""
        try:
            return cast(Self, cls._value2member_map_[value])
        except (KeyError, TypeError):  # not listed, or not even hashable: what the class says
            return cls(value)

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member
