/** Layer rules: arrows point inward only (see README, Architecture). `npm run lint:deps` checks them. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing outside itself: no other layer, no package, no Node built-in.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'application-imports-domain-only',
      comment: 'Use cases and ports depend on the domain and on each other, nothing else.',
      severity: 'error',
      from: { path: '^src/application/' },
      to: { pathNot: '^src/(domain|application)/' },
    },
    {
      name: 'adapters-not-main',
      comment: 'Adapters never reach into the composition root.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/main/' },
    },
    {
      name: 'adapter-not-other-adapter',
      comment: 'One folder per technology; an adapter never imports another adapter.',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/', pathNot: '^src/adapters/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-not-bench',
      comment: 'The library never depends on its benchmark.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^bench/' },
    },
    {
      name: 'bench-src-through-entry-points',
      comment: 'The benchmark uses src as an importer would: the index of a layer or an adapter, or the composition root.',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^src/', pathNot: '^src/(index|(domain|application|adapters/[^/]+)/index)\\.ts$|^src/main/' },
    },
    {
      name: 'bench-not-tests',
      comment: 'The benchmark may share the service harness in test/support, never a test suite.',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^test/', pathNot: '^test/support/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
