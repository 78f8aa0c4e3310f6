/**
 * Each running instance's id: in presence records (`{serverId}:{socketId}`), heartbeats and logs,
 * and in the seed envelopes it publishes. The prefix marks this project's instances, so that
 * interop/ can tell its siblings' envelopes from those of the seed's servers.
 */
import { randomUUID } from 'node:crypto';

export const OWN_SERVER_PREFIX = 'redis-chat-ts:';

export const newServerId = () => `${OWN_SERVER_PREFIX}${randomUUID()}`;
