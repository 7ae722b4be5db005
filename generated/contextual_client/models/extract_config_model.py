from enum import StrEnum
from typing import Self, cast


class ExtractConfigModel(StrEnum):
    """Values the spec lists. A value it does not list still parses (forward compatibility):
    it becomes a member that is not among the listed ones, keeps its value, and serialises back unchanged.
    """

    GEMINI_2_5_FLASH = "gemini-2.5-flash"
    GEMINI_2_5_PRO = "gemini-2.5-pro"
    GEMINI_3_FLASH_PREVIEW = "gemini-3-flash-preview"
    GEMINI_3_PRO_PREVIEW = "gemini-3-pro-preview"

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
