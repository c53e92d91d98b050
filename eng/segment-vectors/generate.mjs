// Writes segment-vectors.json: a few hundred message bodies with the answers of Twilio's own
// calculator (npm sms-segments-calculator 1.3.0), so the C# SegmentCounter is checked against
// the oracle on every test run without needing node there.
//
// Deterministic: a seeded PRNG picks the bodies, so rerunning gives the same file.
// Usage: node generate.mjs [repo-root]   (run.sh runs it from a temp folder)
import { writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { SegmentedMessage } = require('sms-segments-calculator');
const calculatorVersion = JSON.parse(
  readFileSync(path.join(path.dirname(require.resolve('sms-segments-calculator')), '..', 'package.json'), 'utf8')).version;
if (calculatorVersion !== '1.3.0') throw new Error(`expected sms-segments-calculator 1.3.0, found ${calculatorVersion}`);

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(process.argv[2] ?? path.join(here, '..', '..'));
const out = path.join(repo, 'tests/Chorus.UnitTests/Features/Campaigns/Templates/segment-vectors.json');

// mulberry32: tiny, seeded, identical on every node version.
let state = 0x43686f72; // "Chor"
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (min, max) => min + Math.floor(random() * (max - min + 1));
const pick = (items) => items[int(0, items.length - 1)];
const repeat = (count, next) => Array.from({ length: count }, next).join('');

const pools = {
  ascii: [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789     .,!?\'"-:;()@#$%&*+/=<>_'],
  extension: [...'^{}\\[~]|€\f'],
  gsmLatin: [...'¡£¤¥§¿ÄÅÆÉÑÖØÜßàäåæÇèéìñòöøùüΓΔΘΛΞΠΣΦΨΩ'],
  accented: [...'áíóúÁÍÓÚçãõâêîôûÀÈÌÒÙëïÿœŒ'],
  smart: [...'‘’“”«»–—…•´`\u00a0\u2009\u200b\t½¼‼'],
  lineBreaks: ['\n', '\r\n', '\r'],
  bmpEmoji: ['☺', '✅', '❤', '❤️', '☎', '✌', '✌🏾', '★', '☀️'],
  astralEmoji: ['😀', '😜', '👉', '🎉', '🗳️', '🇺🇸', '🇲🇽', '🇵🇷', '👍🏽', '👋🏿', '🙏🏼'],
  zwj: ['👨‍👩‍👧', '👩‍💻', '🏳️‍🌈', '❤️‍🔥', '🧑‍🤝‍🧑', '👩🏽‍⚕️', '🏴‍☠️', '🫶🏽', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '1️⃣', '#️⃣'],
  combining: ['e\u0301', 'n\u0303', 'a\u0308\u0301', 'o\u0302'],
  scripts: [...'中文投票日本語한국어العربيةעבריתकषि', '\u1100\u1161\u11a8', '𝐕𝐨𝐭𝐞', '𝒱'],
};
const everything = Object.values(pools).flat();

const vectors = [];
const seen = new Set();
const add = (text, smartEncoding = false, note = undefined) => {
  const key = `${smartEncoding}:${text}`;
  if (seen.has(key)) return;
  seen.add(key);
  const message = new SegmentedMessage(text, 'auto', smartEncoding);
  vectors.push({
    text,
    ...(smartEncoding ? { smartEncoding: true } : {}),
    encoding: message.encodingName,
    segments: message.segmentsCount,
    characters: message.numberOfCharacters,
    nonGsm: message.getNonGsmCharacters(),
    ...(note ? { note } : {}),
  });
};

// 1. The table in DOMAIN.md §3.4.
const digits = repeat(31, (_, i) => String(i % 10));
add('1234567890'.repeat(16), false, '160 digits');
add('1234567890'.repeat(16) + '1', false, '161 digits');
add(digits.repeat(10).slice(0, 307), false, '307 digits');
for (const n of [306, 307, 459, 460]) add('a'.repeat(n));
add('€'.repeat(80)); add('€'.repeat(81)); add('a'.repeat(159) + '€');
add('a'.repeat(152) + '€' + 'a'.repeat(152), false, 'extension char never split');
add('a'.repeat(151) + '€' + 'a'.repeat(153));
add('😜' + digits.repeat(3).slice(0, 68)); add('😜' + digits.repeat(3).slice(0, 69));
add('😀'.repeat(35)); add('😀'.repeat(36));
add('a'.repeat(66) + '😀' + 'a'.repeat(66), false, 'surrogate pair never split');
add('🏳️‍🌈' + digits.repeat(3).slice(0, 64));
add('’' + 'a'.repeat(69)); add('’' + 'a'.repeat(70));
add('ç'.repeat(70)); add('ç'.repeat(71));
add('é'.repeat(70)); add('Ç'.repeat(160)); add('Ω'.repeat(160));
add('😀' + ']'.repeat(69));
add('Hi Ana, it’s Sam with Smith for Senate. Can we count on your vote Tuesday? Reply STOP to opt out');
add("Hi Ana, it's Sam with Smith for Senate. Can we count on your vote Tuesday? Reply STOP to opt out");
add('Can you chip in $5? 👉 https://secure.actblue.com/donate/smith?refcode=sms_0412');
add('“Hello” it’s me', true);
add('');

// 2. GSM-7 bodies around the segment boundaries, extension chars placed anywhere.
for (const length of [152, 153, 154, 159, 160, 161, 305, 306, 307, 308, 458, 459, 460, 461]) {
  for (let k = 0; k < 5; k++) {
    const chars = Array.from({ length }, () => pick(pools.ascii));
    const extensions = int(0, 4);
    for (let e = 0; e < extensions; e++) chars[int(0, length - 1)] = pick(pools.extension);
    if (k === 0) chars[int(0, length - 1)] = pick(pools.gsmLatin);
    add(chars.join(''));
  }
}
// An extension char straddling each boundary.
for (const before of [151, 152, 153, 158, 159, 160, 304, 305, 306]) add('x'.repeat(before) + pick(pools.extension) + 'y'.repeat(12));

// 3. UCS-2 bodies around the boundaries, with a wide character near each cut.
for (const length of [66, 67, 68, 69, 70, 71, 133, 134, 135, 200, 201, 202]) {
  for (const wide of [pools.smart, pools.accented, pools.astralEmoji, pools.zwj, pools.bmpEmoji]) {
    const chars = Array.from({ length }, () => pick(pools.ascii));
    chars[int(0, length - 1)] = pick(wide);
    add(chars.join(''));
  }
}
for (const before of [65, 66, 67, 68, 69, 132, 133, 134]) {
  for (const wide of ['😀', '👨‍👩‍👧', '🇺🇸', '❤️‍🔥', 'e\u0301', '’']) add('ç' + 'x'.repeat(before - 1) + wide + 'y'.repeat(10));
}

// 4. Line breaks: CRLF counts as two characters.
for (let k = 0; k < 20; k++) {
  const length = pick([60, 80, 155, 160, 165, 310]);
  add(Array.from({ length }, () => (random() < 0.1 ? pick(pools.lineBreaks) : pick(pools.ascii))).join(''));
  add('’' + Array.from({ length: pick([60, 68, 69, 70, 134]) }, () => (random() < 0.1 ? '\r\n' : pick(pools.ascii))).join(''));
}

// 5. Campaign-like messages with names from everywhere.
const names = ['Ana', 'José', 'Zoë', 'Ramón', 'Nguyễn', 'Siobhán', 'François', 'Ægir', 'Łukasz', 'Mia 🌸', 'Dee ✨', '김민준', 'Jürgen', 'Ñandú', 'O’Brien'];
for (let k = 0; k < 60; k++) {
  const name = pick(names);
  const body = `Hi ${name}, it's ${pick(names)} with Friends of ${pick(names)}. ` +
    pick(['Can we count on your vote Tuesday?', 'Your polling place is Lincoln Elementary, 123 Main St.', 'Early voting ends Sunday — want a ride?', 'Chip in $5? https://act.ly/x?refcode=sms_' + int(1000, 9999)]) +
    pick(['', ' Reply STOP to opt out.', ' Txt STOP to quit', ' {Reply STOP}', ' Thanks!! 🙏']);
  add(body);
}

// 6. Random mixtures of everything, every length up to a few segments.
for (let k = 0; k < 220; k++) {
  const length = int(0, 420);
  const weights = random();
  add(Array.from({ length }, () => (random() < weights ? pick(pools.ascii) : pick(everything))).join(''));
}

// 7. Smart encoding (Twilio's SmartEncoded=true) on texts with look-alike characters.
for (let k = 0; k < 40; k++) {
  const length = pick([60, 70, 71, 150, 160, 161, 200]);
  add(Array.from({ length }, () => (random() < 0.85 ? pick(pools.ascii) : pick(pools.smart))).join(''), true);
}

const lines = vectors.map((vector) => '    ' + JSON.stringify(vector));
const header = {
  generatedBy: 'eng/segment-vectors/generate.mjs',
  oracle: `sms-segments-calculator@${calculatorVersion}`,
  fields: 'text; smartEncoding (when true); encoding = encodingName; segments = segmentsCount; characters = numberOfCharacters; nonGsm = getNonGsmCharacters()',
};
writeFileSync(out, `{\n  "about": ${JSON.stringify(header)},\n  "vectors": [\n${lines.join(',\n')}\n  ]\n}\n`);
console.log(`wrote ${vectors.length} vectors to ${path.relative(repo, out)}`);
