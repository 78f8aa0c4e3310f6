/**
 * Accessibility checks in the browser tests: axe-core (the engine behind Lighthouse's and most
 * browsers' accessibility audits) runs inside the page as it is, in the light and the dark theme,
 * and any violation fails the test with a list a person can act on (rule, what it means, where).
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';

// axe-core's package is a browser script with a CommonJS entry; its `source` is what the page runs.
const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

declare global {
  interface Window {
    axe?: { run: (context: Document, options: object) => Promise<AxeResults> };
  }
}

type Scheme = 'light' | 'dark';

async function runAxe(page: Page): Promise<Result[]> {
  // Evaluated through the debugging protocol, not a <script> tag: a Content-Security-Policy that
  // forbids inline scripts does not stop it.
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(axeSource);
  }
  const results = await page.evaluate(() =>
    window.axe!.run(document, { resultTypes: ['violations'] }),
  );
  return results.violations;
}

/** One violation as lines: the rule, its impact and help, and each offending element. */
export function describeViolation(violation: Result): string {
  const nodes = violation.nodes.map((node) => {
    const target = node.target.map(String).join(' > ');
    const why = node.failureSummary?.replace(/\s+/g, ' ').trim() ?? '';
    return `    - ${target}\n      ${node.html.slice(0, 160)}\n      ${why}`;
  });
  return `  ${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n${nodes.join('\n')}`;
}

/**
 * Runs axe on the page in both colour schemes and throws, naming `where`, if anything is wrong.
 * The page is left in the scheme it had.
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const original: Scheme = (await page.evaluate(
    () => matchMedia('(prefers-color-scheme: dark)').matches,
  ))
    ? 'dark'
    : 'light';
  const other: Scheme = original === 'dark' ? 'light' : 'dark';
  const problems: string[] = [];
  for (const scheme of [original, other]) {
    await page.emulateMedia({ colorScheme: scheme });
    // The new colours are applied before axe reads them.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
    const violations = await runAxe(page);
    if (violations.length > 0) {
      problems.push(`${scheme} theme:\n${violations.map(describeViolation).join('\n')}`);
    }
  }
  await page.emulateMedia({ colorScheme: original });
  if (problems.length > 0) {
    throw new Error(`accessibility violations on ${where}:\n${problems.join('\n')}`);
  }
}
