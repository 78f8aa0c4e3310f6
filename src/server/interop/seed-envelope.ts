/**
 * The seed's inter-server envelope on the `MESSAGES` channel: `{serverId, type, data}`. This
 * project's instances' serverIds start with a prefix (kernel/server-id.ts), so that every instance
 * can tell its siblings' envelopes (already delivered by the Socket.IO adapter) from those of foreign servers.
 */
import type { SeedEnvelope } from '../../protocol/events.js';
import { OWN_SERVER_PREFIX } from '../kernel/server-id.js';

export const isOwnServerId = (serverId: unknown) =>
  typeof serverId === 'string' && serverId.startsWith(OWN_SERVER_PREFIX);

/** How every envelope encodeSeedEnvelope writes begins (serverId is its first key). */
const OWN_ENVELOPE_START = `{"serverId":"${OWN_SERVER_PREFIX}`;

/**
 * Whether a raw envelope was published by one of this project's instances, told without parsing
 * it: every instance reads back every envelope any of them publishes, once per message.
 */
export const isOwnEnvelope = (raw: string) => raw.startsWith(OWN_ENVELOPE_START);

export function encodeSeedEnvelope(serverId: string, type: string, data: unknown): string {
  const envelope: SeedEnvelope = { serverId, type, data };
  return JSON.stringify(envelope);
}

/** Parses an envelope from any server; null for anything that is not one. */
export function decodeSeedEnvelope(raw: string): SeedEnvelope | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { serverId, type, data } = value as Record<string, unknown>;
  if (typeof type !== 'string' || (typeof serverId !== 'string' && typeof serverId !== 'number')) {
    return null;
  }
  return { serverId, type, data };
}
