/**
 * The operator's command line: `npm run admin -- <command> [arguments]` (or, from a build,
 * `node dist/server/admin/main.js …`), with the server's configuration (the environment and
 * `.env`). Exit status: 0 done, 1 the command could not do it (unknown user, no such message,
 * Redis unreachable), 2 a mistake in how it was called (unknown command or option, missing
 * argument), with the usage shown.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../config.js';
import { AppError } from '../kernel/errors.js';
import { COMMANDS, type Command, type CommandIo, CommandError, UsageError } from './commands.js';
import { RedisUnreachableError, openOperator } from './operator.js';

const PROGRAM = 'npm run admin --';

function usageLine(command: Command): string {
  const options = Object.keys(command.options).map((name) => ` [--${name}]`);
  return `${PROGRAM} ${[command.name, ...command.args].join(' ')}${options.join('')}`;
}

function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    `Usage: ${PROGRAM} <command> [arguments]`,
    '',
    'Acts on the chat’s Redis, as configured for the server (REDIS_URL, REDIS_CLUSTER_NODES,',
    'or the Redis on 127.0.0.1:EMBEDDED_REDIS_PORT; .env is read).',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    `${PROGRAM} <command> --help tells more of one.`,
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const options = Object.entries(command.options).map(
    ([name, spec]) => `  --${name}${spec.type === 'string' ? ' <value>' : ''}  ${spec.description}`,
  );
  return [
    `Usage: ${usageLine(command)}`,
    '',
    `${command.summary[0]?.toUpperCase() ?? ''}${command.summary.slice(1)}.`,
    ...(command.details ? [command.details] : []),
    ...(options.length > 0 ? ['', 'Options:', ...options] : []),
    '',
  ].join('\n');
}

/** What a command line asks: help, or a command with its arguments. */
type Request =
  | { kind: 'help'; text: string }
  | {
      kind: 'run';
      command: Command;
      args: string[];
      options: Record<string, string | boolean | undefined>;
    };

function parseRequest(argv: readonly string[]): Request {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError('name a command');
  if (name === '--help' || name === '-h' || name === 'help') {
    return { kind: 'help', text: globalHelp() };
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    throw new UsageError(
      name.startsWith('-') ? `unknown option ${name}` : `unknown command "${name}"`,
    );
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs names the option ("Unknown option '--x'"); the usage follows.
    throw new UsageError(error instanceof Error ? error.message : String(error), command);
  }
  if (parsed.values.help) return { kind: 'help', text: commandHelp(command) };
  if (parsed.positionals.length !== command.args.length) {
    const expected = command.args.length === 0 ? 'no arguments' : command.args.join(' ');
    throw new UsageError(`${command.name} takes ${expected}`, command);
  }
  return { kind: 'run', command, args: parsed.positionals, options: parsed.values };
}

/** Runs one command line; answers the exit status. */
export async function runAdmin(
  argv: readonly string[],
  io: CommandIo,
  env?: Record<string, string | undefined>,
): Promise<number> {
  let request: Request;
  try {
    request = parseRequest(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const usage = error.command ? `Usage: ${usageLine(error.command)}\n` : globalHelp();
    io.err.write(`error: ${error.message}\n\n${usage}`);
    return 2;
  }
  if (request.kind === 'help') {
    io.out.write(request.text);
    return 0;
  }
  let operator;
  try {
    const config = loadConfig(env);
    // Logs go to stderr with the warnings only: stdout carries the command's answer.
    const log = pino({ level: 'warn', base: null }, pino.destination(2));
    operator = await openOperator(config, log);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof RedisUnreachableError) {
      io.err.write(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  try {
    await request.command.run(operator, request.args, request.options, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err.write(`error: ${error.message}\n\nUsage: ${usageLine(request.command)}\n`);
      return 2;
    }
    // The rules' refusals (an administrator cannot be banned, say) name the rule broken.
    if (error instanceof CommandError || error instanceof AppError) {
      io.err.write(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await operator.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runAdmin(process.argv.slice(2), { out: process.stdout, err: process.stderr, in: process.stdin })
    .then((status) => {
      process.exitCode = status;
    })
    .catch((error: unknown) => {
      console.error('admin command failed:', error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
