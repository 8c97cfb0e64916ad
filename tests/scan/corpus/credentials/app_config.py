"""FAKE credentials for the trellolens scanner corpus: random values, never issued by Trello."""

import os

from trello import TrelloClient

TRELLO_API_KEY = "8616f8cf5c56bff1e8e22922986222ea"
TRELLO_TOKEN = "ATTACANARY194266095ed67b77bb17b4f8a2e9db3387e374ee96035b73fda87cf6d45CE6567D"

TRELLO = {
    "key": "9a23bfa0d814c5b8aec5532ef5614a15",
    "secret": "80070e880fabd6bdee38149bd1f80bd0751282ab5920f2e855aea24c81bfc8df",
}

client = TrelloClient(
    api_key="0abc536fe05ada8ac22be905d457fb62",
    api_secret="a4cb8d585d777b98d299c7fb388c14ccf991a5b979d8fabeff31147bff6ec443",
    token="6a3c65fe96afab363693dc8445820f2ea072d5efc528e085bb517219bf6a2f3e",
)


def connect() -> TrelloClient:
    token = os.getenv(
        "TRELLO_TOKEN", "507499bbe74dd2fa04d0e88f032775f7ffbf4d3e0627e8622b780a774f3f06d0"
    )
    return TrelloClient(api_key=TRELLO_API_KEY, token=token)
