"""Keys stay masked in every encoding, under threads; https never degrades to plain http."""

import base64
import threading
from urllib.parse import quote

import httpx
import pytest

import docextract
from docextract.errors import InvalidParameter, TransportError
from docextract.redact import MASK, redact, register_secret

KEY = "sk-hardening+key/Z9=q7"  # characters that percent-encoding and base64 both change


def test_a_percent_encoded_key_in_base_url_is_not_echoed() -> None:
    url = f"https://api.example.test/{quote(KEY, safe='')}/v1"

    with pytest.raises(InvalidParameter) as caught:
        docextract.client("numind", api_key=KEY, base_url=url)

    text = f"{caught.value} {caught.value!r} {caught.value.args}"
    assert quote(KEY, safe="") not in text
    assert quote(KEY, safe="").lower() not in text
    assert MASK in str(caught.value)


@pytest.mark.parametrize("offset", [0, 1, 2])
def test_redact_masks_the_base64_forms(offset: int) -> None:
    register_secret(KEY)
    blob = base64.b64encode(b"u" * offset + f":{KEY}".encode()).decode()
    standard = base64.b64encode(KEY.encode()).decode()
    urlsafe = base64.urlsafe_b64encode(KEY.encode()).decode().rstrip("=")

    for prefix, encoded in (("Basic ", blob), ("token=", standard), ("t=", urlsafe)):
        cleaned = redact(prefix + encoded)
        assert cleaned.startswith(prefix + encoded[:4]) or cleaned.startswith(prefix + MASK)
        # what survives at the edges is a few characters: never enough to rebuild the key
        assert MASK in cleaned
        assert len(cleaned) - len(MASK) - len(prefix) <= 8, cleaned


def test_the_longer_of_two_overlapping_keys_is_masked_whole() -> None:
    short, long = "hk-overlap-1234", "hk-overlap-1234-and-more-5678"
    register_secret(short)
    register_secret(long)

    assert redact(f"a {long} b {short}") == f"a {MASK} b {MASK}"


def test_redact_while_keys_are_registered_in_other_threads() -> None:
    errors: list[BaseException] = []
    stop = threading.Event()

    def log_forever() -> None:
        try:
            while not stop.is_set():
                redact("nothing secret here " * 20)
        except BaseException as exc:
            errors.append(exc)

    readers = [threading.Thread(target=log_forever) for _ in range(4)]
    for thread in readers:
        thread.start()
    try:
        for n in range(400):
            register_secret(f"thread-key-{n:04d}-abcdef")
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=10)

    assert errors == []
    assert redact("x thread-key-0399-abcdef y") == f"x {MASK} y"


def test_a_redirect_from_https_to_plain_http_is_refused_before_sending() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(307, headers={"Location": "http://mirror.example.test/upload"})

    c = docextract.client(
        "numind",
        api_key="hk-redirect-key-1",
        base_url="https://api.example.test",
        transport=httpx.MockTransport(handler),
        max_retries=0,
    )

    with pytest.raises(TransportError, match="plain http"):
        docextract.submit(
            "numind", "structured", client=c, document=b"%PDF secret", project_id="p1"
        )

    assert [str(r.url.host) for r in sent] == ["api.example.test"]  # never the http:// host


def test_a_redirect_within_https_is_still_followed() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.host == "api.example.test":
            return httpx.Response(307, headers={"Location": "https://eu.example.test/x"})
        return httpx.Response(200, json={"jobId": "nm-1"})

    c = docextract.client(
        "numind",
        api_key="hk-redirect-key-2",
        base_url="https://api.example.test",
        transport=httpx.MockTransport(handler),
        max_retries=0,
    )

    job = docextract.submit("numind", "structured", client=c, document=b"%PDF", project_id="p1")

    assert job.id == "nm-1"
    assert seen[-1] == "https://eu.example.test/x"
