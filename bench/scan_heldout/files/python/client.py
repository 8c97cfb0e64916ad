from trello import TrelloClient

client = TrelloClient(
    api_key='ec305e37d12363ba321f6aa7127fac06',
    api_secret='b506d32a98b439176d60768d01240103f8b5b9330e5f9b493547a80064f1ba0f',
    token='44ffd4943101cc300675a6549b64d9ff783c30d1414fe3d4a003a3ef3ccda3c4',
)

# Cache the rendered board for an hour; the key is the md5 of the query.
CACHE = {"key": "f77579df1b67e751f0dd77155c8d5fde", "ttl": 3600}
ETAG = '"0611a52ae6ff62ce430fe1d2dc5d937d"'

MAILCHIMP_API_KEY = "64eeadb60a7bd01d230fa079ff080a35-us6"
SENTRY_DSN = "https://0015825faa142db977ecf3c06a3fc3b2@o0.ingest.sentry.io/0"
