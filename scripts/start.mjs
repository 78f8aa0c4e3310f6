// `npm start`: builds what changed since the last build (nothing, usually: see build.mjs), then
// runs the server in this same process. npm runs this script with `exec`, so npm's own process
// forwards SIGTERM/SIGINT straight here, and the server's handlers stop it cleanly — no shell in
// between to swallow a signal and leave the server running.
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from './build.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root); // .env, ./data and dist/web are relative to the project

try {
  await build();
} catch (error) {
  console.error(`npm start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
await import(pathToFileURL(resolve(root, 'dist/server/main.js')).href);
