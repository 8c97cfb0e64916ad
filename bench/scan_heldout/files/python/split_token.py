import os

TRELLO_TOKEN = os.environ.get(
    "TRELLO_TOKEN",
    "ATTA983b0465453cc5c0a1a902ef5a9e1bd6e3"
    "32a89d808adcf514645a8aCANARY826937C04E",
)
DEFAULT_BOARD = "5a1b2c3d4e5f60718293a4b5"
session_key = "65c6a67b4c188d4f20cdc4fc795b314e"  # flask-session id, not a Trello key
