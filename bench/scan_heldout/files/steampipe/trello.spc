connection "trello" {
  plugin = "trello"

  # Trello API key for requests. Required.
  # See instructions at https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/
  # This can also be set via the `TRELLO_API_KEY` environment variable.
  api_key = "8772918b050590ceb049b522c15a1e63"

  # Trello token for requests. Required.
  # This can also be set via the `TRELLO_TOKEN` environment variable.
  token = "ATTA8f3a057960edd909d4d9f72bdf386ef918abaf91bdcf9c11449b60e4CANARYa618FDD8A1"
}

connection "trello_ops" {
  plugin  = "trello"
  # trello_api_key = "192f0a208b39cff86bfab6d52c6614a3"
  # trello_token = "bdffe2568360a1ecf52ee43bcb1b3b1e48f41dd82de6545c3e02f5fcacde4cfe"
}
