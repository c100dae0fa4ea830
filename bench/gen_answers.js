#!/usr/bin/env node
// gen_answers.js: random but valid answer sets for a rule file, as JSONL (one
// answers object per line, the input of `kneecheck assess --batch`).
//
//   node gen_answers.js [--count N] [--seed S] [--rules FILE] [--stop-at-urgent P] > answers.jsonl
//
// Defaults: 100000 answer sets, seed 1, the default rules (data/rules.json).
// The same seed gives the same file byte for byte.
//
// Valid means what `kneecheck assess` accepts: questions in rule-file order,
// a follow-up only when its ask_if is true given the answers before it
// (evaluated with json-logic-js, the reference), a value of the question's
// type and range or among its options (an exclusive option such as "none"
// only alone, a multi's min_choices at least), optional questions sometimes
// left out.
// For the default rules the draws lean the way runners' answers would (most
// have no warning sign, most knees do not lock or give way), so that every escalation
// level and every cause turns up; a question the table below does not know is
// drawn uniformly.
'use strict'

const fs = require('fs')
const { writeAll } = require('./write_all')
const path = require('path')
const jsonLogic = require('json-logic-js')
const { variablesOf, alternativesOf, lastQuestionReader } = require('./rule_parts')

const options = {
  count: 100000,
  seed: 1,
  stopAtUrgent: 0,
  rules: path.join(__dirname, '..', 'data', 'rules.json')
}
const args = process.argv.slice(2)
for (let i = 0; i < args.length; i++) {
  const arg = args[i]
  if (arg === '--count') options.count = Number(args[++i])
  else if (arg === '--seed') options.seed = Number(args[++i])
  else if (arg === '--rules') options.rules = args[++i]
  else if (arg === '--stop-at-urgent') options.stopAtUrgent = Number(args[++i])
  else {
    console.error(`gen_answers.js: unknown argument ${arg}\nusage: gen_answers.js [--count N] [--seed S] [--rules FILE] [--stop-at-urgent P]`)
    process.exit(2)
  }
}
if (!(options.stopAtUrgent >= 0 && options.stopAtUrgent <= 1)) {
  console.error('gen_answers.js: --stop-at-urgent must be from 0 to 1')
  process.exit(2)
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

// How runners' answers lean, for the default rules' questions. Most runners
// have no warning sign, so the options that raise a red flag are rare, each
// alone, and "calm" answers are the common ones; every escalation level and
// every cause still turns up. A multi's leaning: `none`, the chance of the
// exclusive "none" alone; `weights` of the other options (1 when not listed);
// `most`, how many of them at most. A choice's leaning: weights of its options
// (1 when not listed).
const lean = {
  age: () => (chance(0.03) ? integerIn(10, 15) : chance(0.1) ? integerIn(56, 80) : integerIn(16, 55)),
  pain_onset: { gradual: 6, injury: 2, not_sure: 2 },
  pain_duration: { under_1_week: 2, weeks_1_to_2: 3, under_2_weeks: 5, weeks_2_to_6: 3, weeks_6_to_12: 1.5, over_12_weeks: 0.5 },
  injury_pop: () => chance(0.1),
  leg_use: { normal: 96, limp: 3, hardly_use: 0.6, cannot_bear_weight: 0.4 },
  knee_symptoms: {
    none: 0.8,
    weights: { stuck_now: 0.1, locked_freed: 0.4, catches: 1, painful_click: 0.5, gives_way: 0.5, kneecap_slipped: 0.1, kneecap_partly: 0.5 },
    most: 2
  },
  swelling: { none: 80, after_runs: 14, constant: 4, slight: 18, marked: 1 },
  swelling_fast: () => chance(0.1),
  other_joints_swollen: () => chance(0.05),
  knee_motion: { full: 88, lost_since_injury: 1, harder_gradually: 5, limited_by_pain: 6 },
  warning_signs: {
    none: 0.94,
    weights: { night_rest_pain: 3, fever: 1.5, numb_tingling: 1.5, blood_thinners: 1.5 },
    most: 2
  },
  knee_history: {
    none: 0.55,
    weights: { surgery_recent: 0.05, injection_recent: 0.1, replacement: 0.05, stress_fracture: 0.3, leg_length: 0.5 },
    most: 2
  },
  post_op_signs: { none: 0.85, most: 1 },
  pain_location: { weights: { groin_hip: 0.1, low_back: 0.2 }, most: 2 },
  pain_running: () => (chance(0.04) ? integerIn(9, 10) : integerIn(0, 8)),
  pain_worse_with: { none: 0.3, most: 3 },
  bone_signs: { none: 0.8, weights: { spot_tender: 0.5 }, most: 2 },
  energy_signs: { none: 0.7, most: 2 },
  morning_stiffness: { none: 6, short: 3, long: 1 },
  // Weekly distances lean on a runner's usual week, sometimes stepped up.
  km_week_1: () => integerIn(0, 100),
  km_week_2: () => integerIn(0, 100),
  km_week_3: () => (chance(0.05) ? 0 : integerIn(0, 100)),
  km_week_4: () => (chance(0.05) ? 0 : integerIn(0, 100)),
  longest_run_change: { not_longer: 5, up_to_30: 2, up_to_double: 1, over_double: 0.5, not_sure: 1.5 },
  training_changes: { none: 0.4, most: 2 },
  rest_days: () => integerIn(0, 7),
  persists_despite_changes: () => chance(0.2),
  shoe_km: () => integerIn(0, 1500),
  shoes: { one_pair: 6, two_or_more: 3, barefoot: 1 },
  shoe_condition: { none: 0.5, most: 2 },
  running_form: { none: 0.3, most: 3 },
  flexibility: { none: 0.3, most: 3 },
  // Questions of the 2.x rules (data/rules.json before 3.0.0), for comparing with them.
  can_bear_weight: () => chance(0.98),
  knee_locks: { no: 90, at_times: 8, stuck: 2 },
  giving_way: () => chance(0.08)
}

// An option that stands alone without being exclusive ("hard to say").
const NONE_LIKE = new Set(['none', 'dont_know', 'hard_to_say'])

// k of `values`, drawn by weight without replacement.
function drawWeighted (values, weightOf, k) {
  const left = values.slice()
  const chosen = new Set()
  while (chosen.size < k && left.length > 0) {
    let total = 0
    for (const value of left) total += weightOf(value)
    let r = random() * total
    let at = left.length - 1
    for (let i = 0; i < left.length; i++) {
      r -= weightOf(left[i])
      if (r < 0) { at = i; break }
    }
    chosen.add(left[at])
    left.splice(at, 1)
  }
  return chosen
}

// A multi answer: an exclusive option alone ("none", now and then "don't
// know"), or a few of the others, at least min_choices of them.
function multiAnswer (question, leaning) {
  const values = question.options.map((option) => option.value)
  const alone = new Set([
    ...question.options.filter((option) => option.exclusive === true).map((option) => option.value),
    ...values.filter((value) => NONE_LIKE.has(value))
  ])
  const plain = values.filter((value) => !alone.has(value))
  const minChoices = question.min_choices ?? 0
  if (minChoices <= 1 || plain.length === 0) {
    if (alone.has('none') && chance(leaning?.none ?? 0.25)) return ['none']
    // Any other such option ("don't know") stands alone, and only now and then.
    const others = [...alone].filter((value) => value !== 'none')
    if (others.length > 0 && chance(0.05)) return [pick(others)]
  }
  if (plain.length === 0) return alone.has('none') ? ['none'] : []
  const least = Math.min(Math.max(1, minChoices), plain.length)
  const most = Math.max(least, Math.min(leaning?.most ?? 3, plain.length))
  const weights = leaning?.weights ?? {}
  const chosen = drawWeighted(plain, (value) => weights[value] ?? 1, integerIn(least, most))
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

// A few runners are calm on every count (a sore knee, nothing that points to a
// cause): their reports give the general advice. What a calm runner answers,
// where the question has such an answer.
const calm = {
  knee_symptoms: () => ['none'],
  warning_signs: () => ['none'],
  knee_history: () => ['none'],
  pain_location: () => pick([['inner'], ['back'], ['inner', 'back'], ['hard_to_say']]),
  pain_running: () => integerIn(0, 5),
  pain_worse_with: () => ['none'],
  bone_signs: () => ['none'],
  km_week_1: () => integerIn(20, 26),
  km_week_2: () => integerIn(20, 26),
  km_week_3: () => integerIn(20, 26),
  km_week_4: () => integerIn(20, 26),
  longest_run_change: () => 'not_longer',
  training_changes: () => ['none'],
  rest_days: () => integerIn(1, 7),
  shoes: () => 'two_or_more',
  shoe_km: () => integerIn(0, 800),
  shoe_condition: () => ['none'],
  foot_shape: () => pick(['normal', 'dont_know']),
  running_form: () => ['none'],
  strength_training: () => pick(['weekly', 'twice_or_more']),
  flexibility: () => ['none']
}
const CALM = 0.02

// Whether `value` is an answer `question` takes (calm's table may not fit
// another rule file).
function fits (question, value) {
  const isOption = (item) => question.options.some((option) => option.value === item)
  switch (question.type) {
    case 'choice': return isOption(value)
    case 'multi': return Array.isArray(value) && value.every(isOption) && value.length >= (question.min_choices ?? 0)
    case 'yes_no': return typeof value === 'boolean'
    default: return typeof value === 'number' && value >= (question.min ?? 0) && value <= (question.max ?? 10)
  }
}

function answerFor (question, isCalm) {
  if (isCalm && calm[question.id] !== undefined) {
    const value = calm[question.id]()
    if (fits(question, value)) return value
  }
  const leaning = lean[question.id]
  switch (question.type) {
    case 'choice': {
      // Options the leaning does not name weigh 1.
      if (typeof leaning !== 'object') return pick(question.options).value
      const weights = {}
      for (const option of question.options) weights[option.value] = leaning[option.value] ?? 1
      return weighted(weights)
    }
    case 'multi':
      return multiAnswer(question, typeof leaning === 'object' ? leaning : undefined)
    case 'yes_no':
      return typeof leaning === 'function' ? leaning() : chance(0.5)
    case 'number': {
      const value = typeof leaning === 'function' ? leaning() : numberAnswer(question)
      return Math.min(question.max, Math.max(question.min, value))
    }
    case 'scale':
      return typeof leaning === 'function' ? leaning() : integerIn(0, 10)
    default:
      throw new Error(`question ${question.id}: unknown type ${question.type}`)
  }
}

const rules = JSON.parse(fs.readFileSync(options.rules, 'utf8'))
const questions = rules.questions

// The interview stops at the first answer that decides an urgent red flag,
// so a runner's answers may end there: the questions after it need no answer
// (kneecheck accepts such a set). With --stop-at-urgent P, that share of the
// answer sets that reach one stop there (0 by default: json-logic-engine
// reads a missing answer as 0 in {"==": [{"var": "rest_days"}, 0]}, so on
// such sets it disagrees with kneecheck and json-logic-js). An alternative of an urgent flag is decided once the last question it
// reads (directly or through derived values) is behind; atQuestion[i] lists
// those decided at question i.
const { lastQuestionRead, addDerived } = lastQuestionReader(questions)
for (const derived of rules.derived ?? []) addDerived(derived.id, variablesOf(derived.value))
const atQuestion = questions.map(() => [])
for (const flag of rules.red_flags) {
  if (flag.level !== 'urgent') continue
  for (const alternative of alternativesOf(flag.when)) {
    const last = lastQuestionRead(variablesOf(alternative))
    if (last < questions.length) atQuestion[last].push(alternative)
  }
}
function decidesUrgent (answers, index) {
  if (atQuestion[index].length === 0) return false
  const data = { ...answers }
  for (const derived of rules.derived ?? []) {
    const value = jsonLogic.apply(derived.value, data)
    if (value !== null && value !== undefined) data[derived.id] = value
  }
  return atQuestion[index].some((alternative) => jsonLogic.truthy(jsonLogic.apply(alternative, data)))
}

const chunks = []
let chunk = ''
for (let n = 0; n < options.count; n++) {
  const answers = {}
  let urgent = false
  const isCalm = chance(CALM)
  for (let index = 0; index < questions.length; index++) {
    const question = questions[index]
    const asked = question.ask_if === undefined || jsonLogic.truthy(jsonLogic.apply(question.ask_if, answers))
    if (asked && !(question.optional && chance(0.15))) answers[question.id] = answerFor(question, isCalm)
    if (!urgent && decidesUrgent(answers, index)) {
      urgent = true
      if (options.stopAtUrgent > 0 && chance(options.stopAtUrgent)) break
    }
  }
  chunk += JSON.stringify(answers) + '\n'
  if (chunk.length > 1 << 20) {
    chunks.push(chunk)
    chunk = ''
  }
}
chunks.push(chunk)
for (const piece of chunks) writeAll(1, piece)
