"""Splitting a `text/event-stream` body into its events (the WHATWG rules, minus retry/id)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    name: str
    data: str


def parse_events(text: str) -> list[Event]:
    events: list[Event] = []
    name, data = "", list[str]()
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line == "":
            if data or name:
                events.append(Event(name or "message", "\n".join(data)))
            name, data = "", list[str]()
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            name = value
        elif field == "data":
            data.append(value)
    if data or name:
        events.append(Event(name or "message", "\n".join(data)))
    return events
