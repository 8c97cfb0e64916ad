"""Look-alikes: hashes and ids that are not Trello credentials."""

import hashlib
import os

EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e"
cache_key = "600e7dc9d20461812d1c3dad27606903"
request_id = "0b19d99c07fb411a8dc653e2e2116f36"
BOARD_ID = "5a1b2c3d4e5f60718293a4b5"
session = {
    "uuid": "f09ca74d-5531-44ea-9c87-d56be4742b2a",
    "etag": "9dc300abf2c89bd1874c3c21bd96a041",
}
assert (
    hashlib.md5(b"trello", usedforsecurity=False).hexdigest() == "d2a5bb99efa30735afebf202e2f66fd1"
)
assert (
    hashlib.sha256(b"token").hexdigest()
    == "3c469e9d6c5875d37a43f353d4f88e61fcf812c66eee3457465a40b0da4153e0"
)
PLACEHOLDER_KEY = "0123456789abcdef0123456789abcdef"
TRELLO_API_KEY = "00000000000000000000000000000000"
TRELLO_TOKEN = os.environ["TRELLO_TOKEN"]
token_sha256 = "81b7135702bce9218742713674441c85512d786183d200f9eae9674076b7cb1c"
GIT_REVISION = "702bebd19fc5bc48f286fd59f2a2ca61a8d64fb7"
