/**
 * The import rules of the code base, checked by dependency-cruiser (`npx depcruise src`), which
 * `npm test` runs through src/server/import-rules.test.ts. Type-only imports count: a loop
 * through a type is still a loop between two modules.
 */

/**
 * A server feature's adapters: its Redis store, HTTP routes, Socket.IO handlers, and the index
 * that wires them. Every other file of a feature is pure domain code (rules, ports, in-memory
 * stores, their tests).
 */
const FEATURE_ADAPTERS =
  '^src/server/features/[^/]+/(redis-store|http-routes|socket-handlers|index)\\.ts$';

// --- src/server ---------------------------------------------------------------------------------
const serverRules = [
  {
    name: 'server-no-import-loops',
    comment: 'No module of the server reaches itself again through its imports.',
    severity: 'error',
    from: { path: '^src/server/' },
    to: { circular: true },
  },
  {
    name: 'server-not-web',
    comment: 'The server never imports the web client; both share src/protocol only.',
    severity: 'error',
    from: { path: '^src/server/' },
    to: { path: '^src/web/' },
  },
  {
    name: 'kernel-imports-no-feature',
    comment: 'The kernel is what features share: it knows no feature, no interop, no wiring.',
    severity: 'error',
    from: { path: '^src/server/kernel/' },
    to: { path: '^src/server/(features|interop)/|^src/server/(app|main)\\.ts$' },
  },
  {
    name: 'feature-through-index',
    comment: 'A feature uses another one only through its index.ts, never its inner files.',
    severity: 'error',
    from: { path: '^src/server/features/([^/]+)/' },
    to: {
      path: '^src/server/features/',
      pathNot: ['^src/server/features/$1/', '^src/server/features/[^/]+/index\\.ts$'],
    },
  },
  {
    name: 'interop-stays-removable',
    comment: 'Only the wiring (app.ts) knows interop/, so it can be switched off or deleted there.',
    severity: 'error',
    from: { path: '^src/server/(features|kernel)/' },
    to: { path: '^src/server/interop/' },
  },
  {
    name: 'domain-is-pure',
    comment:
      'Rules, ports and in-memory stores import no Redis, Socket.IO or Fastify, nor the kernel ' +
      'modules built on them, nor their own feature’s adapters.',
    severity: 'error',
    from: { path: '^src/server/features/', pathNot: FEATURE_ADAPTERS },
    to: {
      path: [
        'node_modules/(redis|@redis|socket\\.io|@socket\\.io|fastify|@fastify|rate-limiter-flexible|bcrypt|pino)/',
        '^src/server/kernel/(redis|realtime|http|sessions)/',
        FEATURE_ADAPTERS,
      ],
    },
  },
];

// --- src/protocol ---------------------------------------------------------------------------------
const protocolRules = [
  {
    name: 'protocol-stands-alone',
    comment:
      'The contract is what server and web client share: it imports nothing of either, and no ' +
      'library but zod (the web client bundles it, the server runs it).',
    severity: 'error',
    from: { path: '^src/protocol/' },
    to: { pathNot: ['^src/protocol/', '^node_modules/zod/'] },
  },
  {
    name: 'protocol-no-import-loops',
    severity: 'error',
    from: { path: '^src/protocol/' },
    to: { circular: true },
  },
];

// --- src/web ------------------------------------------------------------------------------------
// The web client's other arrows (core knows no feature, features meet through index.ts, ...) are
// eslint's no-restricted-imports (eslint.config.js); loops are what eslint cannot see.
const webRules = [
  {
    name: 'web-no-import-loops',
    comment: 'No module of the web client reaches itself again through its imports.',
    severity: 'error',
    from: { path: '^src/web/' },
    to: { circular: true },
  },
];

export default {
  forbidden: [...serverRules, ...protocolRules, ...webRules],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^dist/' },
  },
};
