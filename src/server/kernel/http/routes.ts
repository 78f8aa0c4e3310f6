/**
 * The server side of the HTTP route table (protocol/routes.ts): each route is registered from its
 * entry, with its input validated and its answers serialized by the zod type provider, and its
 * handler typed from the entry, so that a handler cannot read input the table does not declare or
 * answer with a body it does not declare. Routes that need a session refuse a request without one
 * before its input is looked at, as they always did.
 */
import type {
  ContextConfigDefault,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify';
import {
  type ZodTypeProvider,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { errorBodySchema } from '../../../protocol/errors.js';
import {
  type ErrorStatusOf,
  type RouteDeclaration,
  type SuccessStatusOf,
  answersOf,
} from '../../../protocol/route-table.js';
import { type RouteName, type Routes, routes } from '../../../protocol/routes.js';
import { requireSignedIn, requireUser } from '../sessions/http-session.js';

/** The name of the OpenAPI security scheme of the session cookie. */
export const SESSION_SECURITY = 'session';

type SchemaOf<R, K extends string> = R extends { [key in K]: infer S } ? S : undefined;

/**
 * A route's entry as Fastify's schema types see it: the type provider derives the request's params,
 * query and body and every answer's body from these.
 */
export type FastifySchemaOf<R extends RouteDeclaration> = {
  params: SchemaOf<R, 'params'>;
  querystring: SchemaOf<R, 'query'>;
  body: SchemaOf<R, 'body'>;
  response: { [S in SuccessStatusOf<R>]: R['ok'][S]['schema'] } & {
    [S in ErrorStatusOf<R>]: typeof errorBodySchema;
  };
};

/** The handler of a route of the table, typed from its entry. */
export type RouteHandler<N extends RouteName> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  ContextConfigDefault,
  FastifySchemaOf<Routes[N]>,
  ZodTypeProvider
>;

/** Makes an app validate and serialize with the contract's zod schemas. */
export function useContract(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The entry of the route table a route serves. */
    routeName?: RouteName;
  }
}

/** The table entry behind a request, if its route is one. */
export function routeOfRequest(request: FastifyRequest): RouteDeclaration | null {
  const name = request.routeOptions.config.routeName;
  return name ? routes[name] : null;
}

const requireSession = async (request: FastifyRequest) => {
  requireUser(request);
};
const requireSessionEvenBeforePasswordChange = async (request: FastifyRequest) => {
  requireSignedIn(request);
};

/** The Fastify schema of an entry: input schemas, every answer, and its OpenAPI details. */
function fastifySchemaOf(name: RouteName, route: RouteDeclaration) {
  const response: Record<number, unknown> = {};
  for (const [status, answer] of answersOf(route)) {
    response[status] = answer.mediaType
      ? {
          description: answer.description,
          content: { [answer.mediaType]: { schema: answer.schema } },
        }
      : answer.schema.describe(answer.description);
  }
  return {
    operationId: name,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(route.session ? { security: [{ [SESSION_SECURITY]: [] }] } : {}),
    ...(route.params ? { params: route.params } : {}),
    ...(route.query ? { querystring: route.query } : {}),
    ...(route.body ? { body: route.body } : {}),
    response,
  };
}

/** Registers the route `name` of the table with its handler. */
export function serveRoute<N extends RouteName>(
  app: FastifyInstance,
  name: N,
  handler: RouteHandler<N>,
): void {
  const route: RouteDeclaration = routes[name];
  app.route({
    method: route.method,
    url: route.path,
    schema: fastifySchemaOf(name, route),
    config: { routeName: name },
    ...(route.session
      ? {
          preValidation: route.beforePasswordChange
            ? requireSessionEvenBeforePasswordChange
            : requireSession,
        }
      : {}),
    // The handler's types come from the entry; Fastify's untyped instance takes it as it is.
    handler: handler as RouteHandlerMethod,
  });
}
