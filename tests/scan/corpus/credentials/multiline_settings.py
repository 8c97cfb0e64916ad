"""Settings pasted from a password manager (FAKE values, made for this corpus)."""

TRELLO_TOKEN = """
9c42e6d591ad2deec66fd8636805f680da4c3a79482a9d2c374b83fd3b524a53
"""

TRELLO_API_KEY = "1C4442BEFF7BE593291C5DF7C2A30E7A"

TRELLO_API_SECRET = (
    # pasted from the vault
    "c9863371fb6555b57168e446d491ecad9c53374624014c900249c78a62d734ff"
)
