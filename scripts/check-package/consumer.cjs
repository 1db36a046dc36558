'use strict';
// A CommonJS application: `require('rxtel')` needs the exports map's `require` condition and
// Node's require(esm) (Node ≥ 20.19 / ≥ 22.12), and fails if rxtel ever gains a top-level await.
const rxtel = require('rxtel');
// ky, as a user would load it next to rxtel (installed with it), to give a sink their own instance.
const { default: ky } = require('ky');
const exercise = require('./exercise.cjs');

exercise(rxtel, 'require', ky).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
