const Trello = require("node-trello");
const t = new Trello("b917128c7a001c319e7ec3c4c2fae534", "a5bb609e8064851f4702d0f69227010311d8b1588a39db67f96f95bc083d0093");

const getBoardsFromTheClient = async () => {
  const url = 'https://api.trello.com/1/members/me/boards?key=bfaec24aaa3afb13b4b8afe031ee28ab&token=ATTAc42324abb69cc18a1a1537622c7d9ec299f695224d51e7f62f79755dCANARYb6978B5EB4';
  const response = await fetch(url);
  return response.json();
};

// webpack asset manifest
const assets = { "main.js": "main.95c80a4a2ab1232a42326accc4fc349a.js", contenthash: "28149c08715447f2af3004d029cfb3e9" };
const requestId = "391e7d7119ebfd2764e8d5e092086d72";
