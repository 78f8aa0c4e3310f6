import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// ---------------------------------------------------------------------------------------------
// The web client's arrows (src/web). core/ is the store, the transport and shared UI: it knows no
// feature. A feature reaches another only through its index.ts. screens/ composes the features,
// also through their index.ts. Test support lives in src/web/test and only tests import it.
// Nothing in src/web imports the server; the contract in src/protocol is what both sides share.
// (Flat config does not merge one rule's options across blocks: each block lists all it needs.)
// ---------------------------------------------------------------------------------------------
const webNoServer = {
  regex: '^(\\.\\./)+(src/)?server(/|$)',
  message: 'The web client does not import server code: share it through src/protocol.',
};
const webNoFeatures = {
  regex: '^(\\.\\./)+(features|screens)(/|$)',
  message: 'core/ knows no feature and no screen: features use core, never the other way round.',
};
const webFeatureThroughIndex = {
  // From src/web/features/<a>/file.ts, "../<b>/anything-but-index.js" is another feature's inside.
  regex: '^\\.\\./[^./][^/]*/(?!index\\.js$)',
  message: "Import another feature through its index.ts ('../<feature>/index.js'), not its files.",
};
const webNoScreensFromFeatures = {
  regex: '^(\\.\\./)+screens(/|$)',
  message: 'Features do not import screens: the screens compose the features.',
};
const webScreensThroughIndex = {
  regex: '^\\.\\./features/[^/]+/(?!index\\.js$)',
  message: "Screens import a feature through its index.ts ('../features/<feature>/index.js').",
};
const webNoTestSupport = {
  regex: '^(\\.\\./)+test(/|$)',
  message: 'Test support (src/web/test) is for tests only: the production build must not need it.',
};
const webTests = ['src/web/**/*.test.{ts,tsx}', 'src/web/test/**'];
const webArrows = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const webArrowBlocks = [
  webArrows(['src/web/**/*.{ts,tsx}'], [webNoServer, webNoTestSupport], webTests),
  webArrows(webTests, [webNoServer]),
  webArrows(['src/web/core/**/*.{ts,tsx}'], [webNoServer, webNoFeatures, webNoTestSupport]),
  webArrows(
    ['src/web/features/**/*.{ts,tsx}'],
    [webNoServer, webFeatureThroughIndex, webNoScreensFromFeatures, webNoTestSupport],
    webTests,
  ),
  // A feature's tests may use the test support and the screens' store, but still reach other
  // features only through their index.ts.
  webArrows(['src/web/features/**/*.test.{ts,tsx}'], [webNoServer, webFeatureThroughIndex]),
  webArrows(
    ['src/web/screens/**/*.{ts,tsx}'],
    [webNoServer, webScreensThroughIndex, webNoTestSupport],
    webTests,
  ),
];

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  // The web client's arrows (see above).
  ...webArrowBlocks,
);
