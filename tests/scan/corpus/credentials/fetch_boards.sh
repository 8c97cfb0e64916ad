#!/bin/sh
# FAKE credentials for the trellolens scanner corpus: random values, never issued by Trello.
KEY=ea12d3fc828a92c1e28abe91e7a965b6
TOKEN=ATTACANARYa1b69107f778158241b1da33b6e46d64686f36807ced386bd5d28e90b4A564DE52
curl -s "https://api.trello.com/1/members/me/boards?key=90a75455023a4b6791e3ec3c1b8f7d34&token=8aeabf2ea80bd5929fa55645d88066e24b5f95156f7eda0d8e067012a3b8c434"
curl -s -H "Authorization: OAuth oauth_consumer_key=\"3b7b3aeaf687c24c2c35918b7586ebed\", oauth_token=\"ATTACANARY6b06b8eed06775012d500cb4c43a829f64a74b41b98896b0a262a41f768BB51764\"" \
  https://api.trello.com/1/members/me
curl -s -X DELETE "https://api.trello.com/1/tokens/2e2e8bfa60565cf38173746cf86d7ccd09053398d2a33d9b563e2a6f2a8e7877"
