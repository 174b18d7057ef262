import { NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import { DomainException } from './domain-exception';
import { toErrorResponse } from './error-response.filter';

describe('error responses', () => {
  it('maps zod errors to 400 with every field path', () => {
    const err = z.object({ a: z.object({ b: z.string() }), c: z.number() }).safeParse({ a: { b: 1 }, c: 'x' }).error!;
    const { status, body } = toErrorResponse(err);
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect((body.error.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['a.b', 'c']);
  });

  it('keeps the code and status of a domain exception', () => {
    const { status, body } = toErrorResponse(new DomainException(409, 'PERSON_ALREADY_REGISTERED', 'x'));
    expect(status).toBe(409);
    expect(body.error.code).toBe('PERSON_ALREADY_REGISTERED');
  });

  it('maps Prisma unique violations to 409 and missing rows to 404', () => {
    expect(toErrorResponse(Object.assign(new Error('u'), { code: 'P2002', meta: { target: ['number'] } })).status).toBe(
      409,
    );
    expect(toErrorResponse(Object.assign(new Error('n'), { code: 'P2025' })).status).toBe(404);
  });

  it('maps an exhausted pool or transaction wait to 503 BUSY, not 500', () => {
    const { status, body } = toErrorResponse(
      Object.assign(new Error('Transaction API error: Unable to start a transaction in the given time.'), {
        code: 'P2028',
      }),
    );
    expect(status).toBe(503);
    expect(body.error.code).toBe('BUSY');
  });

  it('maps a malformed JSON body to 400, Nest exceptions to their status, and the unknown to 500', () => {
    expect(
      toErrorResponse(Object.assign(new SyntaxError('Unexpected token'), { status: 400, type: 'entity.parse.failed' }))
        .status,
    ).toBe(400);
    expect(toErrorResponse(new NotFoundException()).status).toBe(404);
    const unknown = toErrorResponse(new Error('boom'));
    expect(unknown.status).toBe(500);
    expect(unknown.body.error.message).not.toContain('boom');
  });

  it('maps an engine that is down or restarting to 503 ENGINE_UNAVAILABLE (retry), not 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const wrapped = Object.assign(new Error('driver error'), { cause: refused });
    const restarting = Object.assign(new Error('the database system is starting up'), { code: '57P03' });
    const temporal = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    // As Prisma 7's pg adapter reports a server that is restarting (seen in the fault-injection run).
    const prisma = Object.assign(new Error('Invalid invocation'), {
      code: 'P2039',
      meta: {
        driverAdapterError: {
          name: 'DriverAdapterError',
          cause: { originalCode: '57P03', kind: 'postgres', message: 'x' },
        },
      },
    });
    const terminated = Object.assign(new Error('Invalid invocation'), {
      code: 'P2010',
      meta: { driverAdapterError: { cause: { message: 'Connection terminated unexpectedly' } } },
    });
    // As the Temporal client reports an update whose server was killed and restarted under it (fault-injection run).
    const grpcDeadline = Object.assign(new Error('4 DEADLINE_EXCEEDED: context deadline exceeded'), {
      code: 4,
      details: 'context deadline exceeded',
      metadata: {},
    });
    const updateLost = Object.assign(new Error('Workflow Update failed'), {
      name: 'ServiceError',
      cause: grpcDeadline,
    });
    for (const e of [refused, wrapped, restarting, temporal, prisma, terminated, updateLost]) {
      const { status, body } = toErrorResponse(e);
      expect(status).toBe(503);
      expect(body.error.code).toBe('ENGINE_UNAVAILABLE');
    }
    expect(toErrorResponse(Object.assign(new Error('syntax error'), { code: '42601' })).status).toBe(500);
    // A numeric 4 that is not a gRPC status is not an engine's answer.
    expect(toErrorResponse(Object.assign(new Error('four'), { code: 4 })).status).toBe(500);
  });
});
