#!/usr/bin/env node
// gen_answers.js: random but valid answer sets for a rule file, as JSONL (one
// answers object per line, the input of `kneecheck assess --batch`).
//
//   node gen_answers.js [--count N] [--seed S] [--rules FILE] > answers.jsonl
//
// Defaults: 100000 answer sets, seed 1, the default rules (data/rules.json).
// The same seed gives the same file byte for byte.
//
// Valid means what `kneecheck assess` accepts: questions in rule-file order,
// a follow-up only when its ask_if is true given the answers before it
// (evaluated with json-logic-js, the reference), a value of the question's
// type and range or among its options, optional questions sometimes left out.
// For the default rules the draws lean the way runners' answers would (most
// have no warning sign, most knees do not lock), so that every escalation
// level and every cause turns up; a question the table below does not know is
// drawn uniformly.
'use strict'

const fs = require('fs')
const { writeAll } = require('./write_all')
const path = require('path')
const jsonLogic = require('json-logic-js')

const options = {
  count: 100000,
  seed: 1,
  rules: path.join(__dirname, '..', 'data', 'rules.json')
}
const args = process.argv.slice(2)
for (let i = 0; i < args.length; i++) {
  const arg = args[i]
  if (arg === '--count') options.count = Number(args[++i])
  else if (arg === '--seed') options.seed = Number(args[++i])
  else if (arg === '--rules') options.rules = args[++i]
  else {
    console.error(`gen_answers.js: unknown argument ${arg}\nusage: gen_answers.js [--count N] [--seed S] [--rules FILE]`)
    process.exit(2)
  }
}
if (!(Number.isInteger(options.count) && options.count >= 0)) {
  console.error('gen_answers.js: --count must be a whole number')
  process.exit(2)
}

// mulberry32: a small, seedable generator, so the file is reproducible.
function makeRandom (seed) {
  let state = seed >>> 0
  return function random () {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = makeRandom(options.seed)
const chance = (p) => random() < p
const pick = (items) => items[Math.floor(random() * items.length)]
const integerIn = (min, max) => min + Math.floor(random() * (max - min + 1))

// Weighted choice over {value: weight}; values not listed weigh nothing.
function weighted (weights) {
  const entries = Object.entries(weights)
  let total = 0
  for (const [, weight] of entries) total += weight
  let r = random() * total
  for (const [value, weight] of entries) {
    r -= weight
    if (r < 0) return value
  }
  return entries[entries.length - 1][0]
}

// How runners' answers lean, for the default rules' questions.
const lean = {
  age: () => (chance(0.04) ? integerIn(10, 15) : chance(0.1) ? integerIn(56, 80) : integerIn(16, 55)),
  pain_onset: () => weighted({ gradual: 6, injury: 2, not_sure: 2 }),
  can_bear_weight: () => chance(0.98),
  knee_locks: () => weighted({ no: 90, at_times: 8, stuck: 2 }),
  giving_way: () => chance(0.08),
  swelling: () => weighted({ none: 70, slight: 26, marked: 4 }),
  swelling_fast: () => chance(0.2),
  warning_signs: { none: 0.9, most: 2 },
  knee_history: { none: 0.55, most: 2, never: ['surgery_recent'], rare: 0.03 },
  // Weekly distances lean on a runner's usual week, sometimes stepped up.
  km_week_1: () => integerIn(0, 100),
  km_week_2: () => integerIn(0, 100),
  km_week_3: () => (chance(0.05) ? 0 : integerIn(0, 100)),
  km_week_4: () => (chance(0.05) ? 0 : integerIn(0, 100)),
  shoe_km: () => integerIn(0, 1500),
  shoes: () => weighted({ one_pair: 6, two_or_more: 3, barefoot: 1 }),
  persists_despite_changes: () => chance(0.3)
}

const NONE_LIKE = new Set(['none', 'dont_know', 'hard_to_say'])

// A multi answer: "none" alone, or a few of the other options.
function multiAnswer (question, leaning) {
  const values = question.options.map((option) => option.value)
  const hasNone = values.includes('none')
  const pNone = leaning?.none ?? 0.25
  if (hasNone && chance(pNone)) return ['none']
  const never = new Set(leaning?.never ?? [])
  if (leaning?.rare !== undefined) for (const value of never) if (chance(leaning.rare)) never.delete(value)
  const candidates = values.filter((value) => value !== 'none' && !never.has(value))
  const plain = candidates.filter((value) => !NONE_LIKE.has(value))
  // An option such as "don't know" stands alone, and only now and then.
  const alone = candidates.filter((value) => NONE_LIKE.has(value))
  if (alone.length > 0 && chance(0.05)) return [pick(alone)]
  if (plain.length === 0) return hasNone ? ['none'] : []
  const most = Math.min(leaning?.most ?? 3, plain.length)
  const k = integerIn(1, most)
  const chosen = new Set()
  while (chosen.size < k) chosen.add(pick(plain))
  return values.filter((value) => chosen.has(value))
}

function numberAnswer (question) {
  const min = question.min
  const max = question.max
  if (question.integer) return integerIn(Math.ceil(min), Math.floor(max))
  // Whole numbers mostly, as people type them; one decimal now and then.
  if (chance(0.8)) return integerIn(Math.ceil(min), Math.floor(max))
  return Math.min(max, Math.max(min, Math.round((min + random() * (max - min)) * 10) / 10))
}

function answerFor (question) {
  const leaning = lean[question.id]
  switch (question.type) {
    case 'choice':
      if (typeof leaning === 'function') return leaning()
      return pick(question.options).value
    case 'multi':
      return multiAnswer(question, typeof leaning === 'object' ? leaning : undefined)
    case 'yes_no':
      return typeof leaning === 'function' ? leaning() : chance(0.5)
    case 'number': {
      const value = typeof leaning === 'function' ? leaning() : numberAnswer(question)
      return Math.min(question.max, Math.max(question.min, value))
    }
    case 'scale':
      return integerIn(0, 10)
    default:
      throw new Error(`question ${question.id}: unknown type ${question.type}`)
  }
}

const rules = JSON.parse(fs.readFileSync(options.rules, 'utf8'))
const questions = rules.questions

const chunks = []
let chunk = ''
for (let n = 0; n < options.count; n++) {
  const answers = {}
  for (const question of questions) {
    if (question.ask_if !== undefined && !jsonLogic.truthy(jsonLogic.apply(question.ask_if, answers))) continue
    if (question.optional && chance(0.15)) continue
    answers[question.id] = answerFor(question)
  }
  chunk += JSON.stringify(answers) + '\n'
  if (chunk.length > 1 << 20) {
    chunks.push(chunk)
    chunk = ''
  }
}
chunks.push(chunk)
for (const piece of chunks) writeAll(1, piece)
