// FAKE credentials for the trellolens scanner corpus: random values, never issued by Trello.
const Trello = require("trello");

const trello = new Trello(
  "07219bb07f343eb6f0a96424004fc7e1",
  "ATTACANARY556cc3dedf074f6794ad87934bce43ce3395995d30ddc1031ed6e706019C4B29B9"
);

const TRELLO_SECRET = '6700dce5fb2ab1628abe76cf7ee559bf97a6305c1df3f00b3348ccae63144d6c';

async function boards() {
  const url = `https://api.trello.com/1/members/me/boards?key=${process.env.KEY}&token=ATTACANARYacc65d43b81bbe5d2db29e04ac810411a4698fe67dce422d3e9afcae6e16C18757`;
  return fetch(url);
}

module.exports = { trello, boards, apiKey: '8be48911e1df17be900a38da5766d6f4' };
