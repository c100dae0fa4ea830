#!/usr/bin/env node
// eval_bench.js: how fast the JavaScript JsonLogic engines evaluate a
// condition, measured exactly as bench/eval_bench.cpp measures kneecheck.
//
//   node eval_bench.js [--quick] [--round-ms N] [--rounds N] [TESTS_JSON]
//
// Engines (versions pinned by bench/package-lock.json):
//   json-logic-js          jsonLogic.apply(rule, data)
//   json-logic-engine      new LogicEngine().run(rule, data)   ("interpreted")
//   json-logic-engine-build  engine.build(rule) once, then fn(data)  ("compiled")
//
// Every case of tests.json is prepared once outside the timed loop (for
// `build`, compiled), then evaluated repeatedly; a case's figure is the best of
// a few rounds of ns per evaluation. A case the engine throws on, when
// compiling or evaluating, is skipped for that engine and counted.
//
// Writes one JSON object per engine, one per line, to standard output:
//   {"engine", "cases", "ns": [ns or null], "wrong": [indexes], "threw": N}
'use strict'

const fs = require('fs')
const path = require('path')
const { isDeepStrictEqual } = require('util')
const jsonLogic = require('json-logic-js')
const { LogicEngine } = require('json-logic-engine')

const options = {
  testsPath: path.join(__dirname, '..', '..', 'shared', 'conformance', 'jsonlogic', 'jsonlogic.com', 'tests.json'),
  roundMs: 20,
  rounds: 3
}
const args = process.argv.slice(2)
for (let i = 0; i < args.length; i++) {
  const arg = args[i]
  if (arg === '--quick') {
    options.roundMs = 4
    options.rounds = 2
  } else if (arg === '--round-ms') {
    options.roundMs = Number(args[++i])
  } else if (arg === '--rounds') {
    options.rounds = Number(args[++i])
  } else if (arg.startsWith('-')) {
    console.error(`eval_bench.js: unknown option ${arg}`)
    process.exit(2)
  } else {
    options.testsPath = arg
  }
}

const cases = JSON.parse(fs.readFileSync(options.testsPath, 'utf8')).filter((entry) => typeof entry !== 'string')

let sink = 0

// Runs `iterations` evaluations of fn(data) and returns the elapsed ns.
function timeEvaluations (fn, data, iterations) {
  let local = 0
  const start = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) {
    if (fn(data)) local++
  }
  const elapsed = Number(process.hrtime.bigint() - start)
  sink += local
  return elapsed
}

// Best ns per evaluation over the rounds, after calibrating (and warming up)
// by doubling the count until a batch takes an eighth of a round.
function measure (fn, data) {
  const roundNs = options.roundMs * 1e6
  let iterations = 1
  let elapsed = timeEvaluations(fn, data, iterations)
  while (elapsed < roundNs / 8) {
    iterations *= 2
    elapsed = timeEvaluations(fn, data, iterations)
  }
  const perRound = Math.max(1, Math.floor(iterations * roundNs / Math.max(elapsed, 1)))
  let best = elapsed / iterations
  for (let round = 0; round < options.rounds; round++) {
    best = Math.min(best, timeEvaluations(fn, data, perRound) / perRound)
  }
  return best
}

// Each engine turns a rule into a function of the data, outside the timing.
const engines = [
  {
    name: 'json-logic-js',
    prepare: (rule) => (data) => jsonLogic.apply(rule, data)
  },
  {
    name: 'json-logic-engine',
    prepare: (rule) => {
      const engine = new LogicEngine()
      return (data) => engine.run(rule, data)
    }
  },
  {
    name: 'json-logic-engine-build',
    prepare: (rule) => new LogicEngine().build(rule)
  }
]

// Deep copies, so that no engine sees data another one has touched or cached.
const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)))

for (const engine of engines) {
  const ns = []
  const wrong = []
  let threw = 0
  cases.forEach(([rule, data, expected], index) => {
    const ownRule = copy(rule)
    const ownData = copy(data)
    let fn
    try {
      fn = engine.prepare(ownRule)
      const result = fn(ownData)
      if (!isDeepStrictEqual(result, expected)) wrong.push(index)
    } catch (error) {
      ns.push(null)
      threw++
      return
    }
    ns.push(measure(fn, ownData))
  })
  console.error(`  ${engine.name}: ${cases.length} cases, ${threw} threw (skipped), ${wrong.length} gave another result than expected`)
  console.log(JSON.stringify({ engine: engine.name, cases: cases.length, ns, wrong, threw }))
}
if (sink < 0) console.error(sink)
