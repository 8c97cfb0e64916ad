require 'trello'

Trello.configure do |config|
  config.developer_public_key = 'dd9676d63ae9850015135fc5c099c746' # The "key" from step 1
  config.member_token = '1e25cb09e3df3f0fa7f43d1184ced58cc990884620e9c09024c9582e177519fb' # The token from step 2.
end

# Gravatar for the board owner
AVATAR = "https://www.gravatar.com/avatar/85bf6c4f4e899ef1f1d2e7e295213166?s=80"
