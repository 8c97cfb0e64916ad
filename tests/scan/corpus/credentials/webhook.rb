# FAKE credentials for the trellolens scanner corpus: random values, never issued by Trello.
require "trello"

Trello.configure do |config|
  config.developer_public_key = "544f7f31b6f0048425a68b252428b039"
  config.member_token = "7b75efdfc6e27049443ecd98477cf2d39c320492c4436616e7f0cd48aaf39a34"
end
