/**
 * The operator's commands: each acts through the same features, rules and broadcasts as the
 * app (a ban from here ends the user's sessions on every instance, a delete reaches every open
 * client), trusted as whoever runs them. Output for people goes to stderr; what a command
 * answers (a list, a password, an export) to stdout, so it can be piped.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { deleteMessagePayloadSchema, passwordSchema } from '../../protocol/schemas.js';
import { roomIdSchema } from '../../protocol/room-ids.js';
import {
  bannedUsersKey,
  instancesKey,
  onlineUsersKey,
  publicRoomsKey,
  roomKey,
  totalRoomsKey,
  totalUsersKey,
} from '../kernel/redis/keys.js';
import type { BanChange } from '../features/moderation/index.js';
import type { Operator } from './operator.js';

/** A mistake in how a command was called: its usage is shown, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The command whose usage to show; none: the list of commands. */
    readonly command?: Command,
  ) {
    super(message);
  }
}

/** A command that could not do what it was asked (an unknown user, say): exit status 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}

export interface CommandIo {
  out: Writable;
  err: Writable;
  in: Readable;
}

export interface OptionSpec {
  type: 'boolean' | 'string';
  /** Shown in the command's help. */
  description: string;
}

export interface Command {
  name: string;
  /** Positional arguments, as shown in the usage line: `<username>`. */
  args: string[];
  options: Record<string, OptionSpec>;
  summary: string;
  /** More lines for the command's --help. */
  details?: string;
  run(
    operator: Operator,
    args: string[],
    options: Record<string, string | boolean | undefined>,
    io: CommandIo,
  ): Promise<void>;
}

/** Users are listed this many at a time: one round trip per page for names, presence, bans. */
const USER_PAGE_SIZE = 500;
const EXPORT_PAGE_SIZE_DEFAULT = 1000;
const EXPORT_PAGE_SIZE_MAX = 10_000;
/** Long enough to resist guessing for the little while before the user changes it. */
const GENERATED_PASSWORD_BYTES = 15;

/** Writes and waits when the pipe is full, so a slow reader holds back the reading from Redis. */
async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

function checkRoomId(roomId: string): string {
  const parsed = roomIdSchema.safeParse(roomId);
  if (!parsed.success) throw new UsageError(`"${roomId}" is not a room id (0, 12 or 3:7)`);
  return parsed.data;
}

async function userIdOf(operator: Operator, username: string): Promise<string> {
  const id = await operator.features.auth.users.idOfUsername(username);
  if (!id) throw new CommandError(`no user is named ${username}`);
  return id;
}

/** The first line of stdin, without its line ending. */
async function readLine(input: Readable): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

const users: Command = {
  name: 'users',
  args: [],
  options: {},
  summary: 'list the users: id, name, online or offline, banned or admin',
  details: 'Tab-separated, one user a line, in order of registration.',
  async run(operator, _args, _options, io) {
    const { auth, presence, moderation } = operator.features;
    const banned = new Set(await moderation.rules.bannedUserIds());
    const ids = await auth.users.firstUserIds(Number.MAX_SAFE_INTEGER);
    await write(io.out, 'ID\tUSERNAME\tSTATE\tROLE\n');
    for (let first = 0; first < ids.length; first += USER_PAGE_SIZE) {
      const page = ids.slice(first, first + USER_PAGE_SIZE);
      const [names, online] = await Promise.all([
        auth.users.usernames(page),
        presence.areOnline(page),
      ]);
      const lines = page.flatMap((id, i) => {
        const username = names[i];
        if (!username) return [];
        const role = banned.has(id)
          ? 'banned'
          : moderation.rules.isAdmin({ username })
            ? 'admin'
            : '';
        return [`${id}\t${username}\t${online[i] ? 'online' : 'offline'}\t${role}\n`];
      });
      await write(io.out, lines.join(''));
    }
  },
};

/** ban and unban: one shape, one rule each, and what to say of the change. */
function banCommand(
  name: 'ban' | 'unban',
  summary: string,
  said: (change: BanChange) => string,
): Command {
  return {
    name,
    args: ['<username>'],
    options: {},
    summary,
    async run(operator, [username = ''], _options, io) {
      const userId = await userIdOf(operator, username);
      const { rules } = operator.features.moderation;
      const change = await (name === 'ban' ? rules.ban(userId) : rules.unban(userId));
      await write(io.err, `${said(change)} ${change.username} (id ${change.userId})\n`);
    },
  };
}

const ban = banCommand(
  'ban',
  'ban a user: their open sessions end on every instance, sign-in answers 403',
  (change) => (change.changed ? 'banned' : 'already banned (sessions ended again):'),
);

const unban = banCommand('unban', 'lift a ban: the user may sign in again', (change) =>
  change.changed ? 'unbanned' : 'was not banned:',
);

const resetPassword: Command = {
  name: 'reset-password',
  args: ['<username>'],
  options: {
    stdin: { type: 'boolean', description: 'read the new password from the first line of stdin' },
  },
  summary: 'give a user a new password and end their sessions',
  details:
    'Without --stdin a password is generated and printed on stdout: hand it to the user, who\n' +
    'signs in with it and must then choose their own before anything else (the web client asks\n' +
    'at once; GET /me and POST /login answer mustChangePassword: true until POST /me/password).',
  async run(operator, [username = ''], options, io) {
    const generated = !options.stdin;
    const password = generated
      ? randomBytes(GENERATED_PASSWORD_BYTES).toString('base64url')
      : await readLine(io.in);
    const checked = passwordSchema.safeParse(password);
    if (!checked.success) {
      throw new UsageError(`the password from stdin: ${checked.error.issues[0]?.message ?? ''}`);
    }
    const user = await operator.features.auth.resetPassword(username, checked.data);
    if (!user) throw new CommandError(`no user is named ${username}`);
    if (generated) await write(io.out, `${password}\n`);
    await write(io.err, `new password set for ${user.username} (id ${user.id}); sessions ended\n`);
  },
};

const deleteMessage: Command = {
  name: 'delete-message',
  args: ['<roomId>', '<messageId>'],
  options: {},
  summary: 'delete a message as an administrator would: every open client sees it go',
  async run(operator, [roomId = '', id = ''], _options, io) {
    const parsed = deleteMessagePayloadSchema.safeParse({ roomId, id });
    if (!parsed.success) {
      throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
    }
    const deleted = await operator.features.messages.deleteAsOperator(roomId, id);
    if (!deleted) throw new CommandError(`room ${roomId} holds no message ${id}`);
    await write(
      io.err,
      deleted.changed ? `deleted message ${id} of room ${roomId}\n` : `already deleted: ${id}\n`,
    );
  },
};

const deleteRoom: Command = {
  name: 'delete-room',
  args: ['<roomId>'],
  options: {},
  summary: 'delete a group room and all it holds: its members’ clients drop it',
  details:
    'Its messages (with their reactions, threads, search entries, mentions and files), its\n' +
    'members, its place in the directory: every key named after it goes. General and private\n' +
    'conversations cannot be deleted.',
  async run(operator, [roomId = ''], _options, io) {
    const deleted = await operator.features.rooms.deleteRoom(checkRoomId(roomId));
    await write(
      io.err,
      `deleted room ${roomId} (${deleted.name}): ${deleted.members} members, ` +
        `${deleted.messages} messages\n`,
    );
  },
};

const exportRoom: Command = {
  name: 'export-room',
  args: ['<roomId>'],
  options: {
    'page-size': {
      type: 'string',
      description: `messages read from Redis at a time (default ${EXPORT_PAGE_SIZE_DEFAULT})`,
    },
  },
  summary: 'the room’s messages as JSON lines on stdout, oldest first',
  details:
    'Streamed a page at a time (ZRANGE BYSCORE … LIMIT): any size of room, in little memory.\n' +
    'Deleted messages are included as their placeholders ("deleted": true).',
  async run(operator, [roomId = ''], options, io) {
    const pageSize = Number(options['page-size'] ?? EXPORT_PAGE_SIZE_DEFAULT);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > EXPORT_PAGE_SIZE_MAX) {
      throw new UsageError(`--page-size must be a whole number from 1 to ${EXPORT_PAGE_SIZE_MAX}`);
    }
    let count = 0;
    for await (const page of operator.features.messages.pagesOldestFirst(
      checkRoomId(roomId),
      pageSize,
    )) {
      await write(io.out, page.map((message) => `${JSON.stringify(message)}\n`).join(''));
      count += page.length;
    }
    if (count === 0) throw new CommandError(`room ${roomId} has no messages (or does not exist)`);
    await write(io.err, `exported ${count} messages of room ${roomId}\n`);
  },
};

const stats: Command = {
  name: 'stats',
  args: [],
  options: {},
  summary: 'counts: users, online, banned, rooms, General’s messages, live instances',
  async run(operator, _args, _options, io) {
    // A read-only report of counters the features keep; each is one key, so one round trip.
    const { redis, config } = operator;
    const [totalUsers, online, banned, groupRooms, publicRooms, general, instances] =
      await Promise.all([
        redis.get(totalUsersKey()),
        redis.sCard(onlineUsersKey()),
        redis.sCard(bannedUsersKey()),
        redis.get(totalRoomsKey()),
        redis.sCard(publicRoomsKey()),
        redis.zCard(roomKey('0')),
        redis.zCount(instancesKey(), Date.now() - config.instanceTimeoutS * 1000, '+inf'),
      ]);
    const rows: [string, number][] = [
      ['users', Number(totalUsers ?? 0)],
      ['online', online],
      ['banned', banned],
      ['group rooms created', Number(groupRooms ?? 0)],
      ['public rooms', publicRooms],
      ['General messages', general],
      ['live instances', instances],
    ];
    await write(io.out, rows.map(([name, value]) => `${name}\t${value}\n`).join(''));
  },
};

export const COMMANDS: readonly Command[] = [
  users,
  ban,
  unban,
  resetPassword,
  deleteMessage,
  deleteRoom,
  exportRoom,
  stats,
];
