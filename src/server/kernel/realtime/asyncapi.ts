/**
 * GET /asyncapi.json: the Socket.IO events as an AsyncAPI 3.0 document, generated from the
 * contract (protocol/events.ts) with zod's own JSON Schema output. It is written from a client's
 * side: what a client sends (`send` operations, each with the acknowledgement the server answers as
 * its reply) and what it receives (`receive` operations). No library generates AsyncAPI from zod
 * schemas or Socket.IO servers today, so the document's frame is assembled here; every schema in
 * it comes from z.toJSONSchema.
 */
import { z } from 'zod';
import {
  ackResponseSchemaOf,
  clientEvents,
  handshakeAuthSchema,
  serverEvents,
} from '../../../protocol/events.js';
import { CONTRACT_VERSION } from '../../../protocol/version.js';
import { SESSION_COOKIE } from '../sessions/http-session.js';

type JsonSchema = Record<string, unknown>;
const CHANNEL = 'chat';
const SCHEMAS = '#/components/schemas/';

/** The id a schema is known by in the contract (its `.meta({id})`), if it has one. */
const contractIdOf = (schema: z.ZodType) => z.globalRegistry.get(schema)?.id;

/**
 * JSON Schemas (draft-07, AsyncAPI's default schema format) of `named` schemas and of every
 * contract model they use, each model once under its id, referenced with $ref.
 */
function jsonSchemas(named: Map<string, z.ZodType>, io: 'input' | 'output') {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of z.globalRegistry._idmap) registry.add(schema, { id });
  for (const [id, schema] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-7',
    io,
    uri: (id) => `${SCHEMAS}${id}`,
    // Field descriptions live in zod's global registry.
    metadata: z.globalRegistry,
    unrepresentable: 'any',
    reused: 'inline',
    cycles: 'ref',
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]),
  ) as Record<string, JsonSchema>;
}

/** A $ref to a schema: the contract's model, or the one registered for this message. */
function payloadRef(schema: z.ZodType, ownId: string, named: Map<string, z.ZodType>) {
  const id = contractIdOf(schema);
  if (id) return { $ref: `${SCHEMAS}${id}` };
  named.set(ownId, schema);
  return { $ref: `${SCHEMAS}${ownId}` };
}

export function asyncApiDocument(): Record<string, unknown> {
  const inputs = new Map<string, z.ZodType>();
  const outputs = new Map<string, z.ZodType>();
  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const channelMessage = (key: string) => ({ $ref: `#/channels/${CHANNEL}/messages/${key}` });

  for (const [event, declaration] of Object.entries(clientEvents)) {
    const name = event as keyof typeof clientEvents;
    messages[`client.${event}`] = {
      name: event,
      title: event,
      summary: declaration.summary,
      ...('description' in declaration ? { description: declaration.description } : {}),
      payload: payloadRef(declaration.payload, `ClientEvent.${event}`, inputs),
    };
    messages[`client.${event}.ack`] = {
      name: `${event} (ack)`,
      title: `${event} acknowledgement`,
      summary: `The server's answer to ${event}: {ok: true, …} or {ok: false, error: {code, message}}.`,
      payload: payloadRef(ackResponseSchemaOf(name), `Ack.${event}`, outputs),
    };
    operations[`send.${event}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${CHANNEL}` },
      summary: declaration.summary,
      description:
        `Emit \`${event}\` with the payload and an acknowledgement callback as the last ` +
        'argument; the server always calls it.',
      messages: [channelMessage(`client.${event}`)],
      reply: {
        channel: { $ref: `#/channels/${CHANNEL}` },
        messages: [channelMessage(`client.${event}.ack`)],
      },
    };
  }

  for (const [event, declaration] of Object.entries(serverEvents)) {
    messages[`server.${event}`] = {
      name: event,
      title: event,
      summary: declaration.summary,
      ...('description' in declaration ? { description: declaration.description } : {}),
      payload: payloadRef(declaration.payload, `ServerEvent.${event}`, outputs),
    };
    operations[`receive.${event}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${CHANNEL}` },
      summary: declaration.summary,
      messages: [channelMessage(`server.${event}`)],
    };
  }
  outputs.set('HandshakeAuth', handshakeAuthSchema);

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Redis Chat Socket.IO events',
      version: CONTRACT_VERSION,
      description:
        'The real-time half of the chat, as a client sees it: Socket.IO 4 on the default ' +
        'namespace of the chat server. The handshake carries the session cookie of POST /login; ' +
        'without a signed-in session the connection is refused (`connect_error` with ' +
        '`data.code = "unauthenticated"`). The handshake `auth` may opt in to `message.batch` ' +
        'and `user.presence` (schema HandshakeAuth). Every event is one argument; a client event’s acknowledgement ' +
        'callback comes last. The HTTP half is described by /openapi.json.',
    },
    defaultContentType: 'application/json',
    servers: {
      [CHANNEL]: {
        host: '{host}',
        protocol: 'ws',
        pathname: '/socket.io/',
        description: 'Socket.IO over WebSocket (HTTP long-polling where WebSocket fails).',
        variables: { host: { default: 'localhost:8080', description: 'The chat server.' } },
        security: [{ $ref: '#/components/securitySchemes/session' }],
      },
    },
    channels: {
      [CHANNEL]: {
        address: '/',
        title: 'The default namespace',
        servers: [{ $ref: `#/servers/${CHANNEL}` }],
        messages: Object.fromEntries(
          Object.keys(messages).map((key) => [key, { $ref: `#/components/messages/${key}` }]),
        ),
      },
    },
    operations,
    components: {
      // A model both ways is documented as sent (with no undeclared properties).
      schemas: { ...jsonSchemas(inputs, 'input'), ...jsonSchemas(outputs, 'output') },
      messages,
      securitySchemes: {
        session: {
          type: 'httpApiKey',
          name: SESSION_COOKIE,
          in: 'cookie',
          description: 'The session cookie set by POST /login.',
        },
      },
    },
  };
}
