'use strict';
// A CommonJS application: `require('rxtel')` needs the exports map's `require` condition and
// Node's require(esm) (Node ≥ 20.19 / ≥ 22.12), and fails if rxtel ever gains a top-level await.
const rxtel = require('rxtel');
const exercise = require('./exercise.cjs');

exercise(rxtel, 'require').catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
