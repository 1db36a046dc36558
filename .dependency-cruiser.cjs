/**
 * The layers of src/, lowest first (docs/architecture.md draws them). A module may import from its
 * own layer and from any layer below it, never from one above; no import cycles at all; no
 * `rxjs/internal`. Checked by `npm run lint` (and so by .ci/run).
 */
const LAYERS = [
  ['platform', 'errors', 'schema', 'spool', 'version\\.ts$'],
  ['events'],
  ['bus', 'sinks', 'receiver', 'console'],
  ['config'],
  ['stats', 'inbox'],
  ['pipeline'],
  ['batcher'],
  ['sender'],
  ['observability'],
  ['lifecycle'],
  ['reporter'],
  ['capture'],
  ['create-reporter\\.ts$', 'demo', 'cli\\.ts$', 'index\\.ts$'],
];

const path = (part) => (part.endsWith('$') ? `^src/${part}` : `^src/${part}/`);
const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  if (above.length === 0) return [];
  return [
    {
      name: `layer-${layer.join('+').replace(/\\\.ts\$/g, '')}`,
      comment: `${layer.join(', ')} may not import from a layer above it (${above.join(', ')})`,
      severity: 'error',
      from: { path: `(${layer.map(path).join('|')})` },
      to: { path: `(${above.map(path).join('|')})` },
    },
  ];
});

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'an import cycle', severity: 'error', from: {}, to: { circular: true } },
    { name: 'no-rxjs-internal', comment: 'public RxJS only (DESIGN §7)', severity: 'error', from: { path: '^src/' }, to: { path: 'rxjs/internal' } },
    {
      name: 'no-unresolvable',
      comment: 'an import that resolves to nothing',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },

  },
};
