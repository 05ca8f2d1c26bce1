import type { FastifyError, FastifyInstance, FastifyRequest, onSendHookHandler } from 'fastify';
import type { AppError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route only reads, so its handler may run while the request's admission (IP count,
     * nonce claim, user count) is being decided, instead of after it. Nothing is sent before
     * admission allows it: a refused request is answered with its refusal, whatever the
     * handler found. For the most frequent signed reads (ADR 28).
     */
    readAhead?: true;
  }
  interface FastifyRequest {
    /** A read-ahead request's admission, not awaited yet: its refusal, or undefined. */
    pendingAdmission?: Promise<Refusal | undefined>;
  }
}

/** What admission throws: an AppError (refused, or its store unreachable), or anything else. */
type Refusal = AppError | FastifyError;

/** Lets the route run before `admitted` settles; the response waits for it. */
export function admitWhileReading(request: FastifyRequest, admitted: Promise<void>): void {
  // Settled into a value at once: a request whose client went away never awaits it, and a
  // rejection nobody awaits would take the process down.
  request.pendingAdmission = admitted.then(
    () => undefined,
    (err: Refusal) => err,
  );
}

/**
 * The admission a read-ahead request is still waiting on: its refusal, or undefined once it
 * allowed the request (and for a request that was admitted before its route ran). Taken once,
 * so the response it leads to passes straight through.
 */
export async function admissionRefusal(request: FastifyRequest): Promise<Refusal | undefined> {
  const pending = request.pendingAdmission;
  if (pending === undefined) return undefined;
  request.pendingAdmission = undefined;
  return pending;
}

/**
 * Holds each read-ahead route's response until its admission is decided; a refusal goes to
 * the error handler instead of the payload. Errors the route throws meet the same check in the
 * error handler (registerErrorHandling), so a refusal always wins over what the route found.
 */
export function registerReadAhead(app: FastifyInstance): void {
  const ours = new WeakSet<object>();
  const hold: onSendHookHandler = (request, _reply, payload, done) => {
    if (request.pendingAdmission === undefined) return done(null, payload);
    // Never rejects: admitWhileReading settled the admission into a value.
    void admissionRefusal(request).then((refusal) =>
      refusal ? done(refusal) : done(null, payload),
    );
  };
  ours.add(hold);
  app.addHook('onRoute', (route) => {
    if (route.config?.readAhead !== true) return;
    const hooks = route.onSend === undefined ? [] : [route.onSend].flat();
    // The HEAD route Fastify adds for a GET route copies the GET route's hooks.
    if (hooks.some((h) => ours.has(h))) return;
    route.onSend = [...hooks, hold];
  });
}
