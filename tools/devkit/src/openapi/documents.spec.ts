import { openApiDocument } from './documents';

type Op = { parameters?: { name: string; in: string; required?: boolean }[]; responses: Record<string, unknown> };

/** The documents say what the services do (security review, finding 17: the disagreements it found). */
describe('OpenAPI documents agree with the servers', () => {
  it('POST /alerts answers 202 (200 for a duplicate), never 201', async () => {
    const op = (await openApiDocument('monitoring')).paths['/alerts'].post as unknown as Op;
    expect(
      Object.keys(op.responses)
        .filter((c) => c.startsWith('2'))
        .sort(),
    ).toEqual(['200', '202']);
  }, 60_000);

  it('imports document ?wait=true; the decision lists Idempotency-Key once, optional; no route lists an authorization parameter', async () => {
    const docs = [
      await openApiDocument('registry'),
      await openApiDocument('monitoring'),
      await openApiDocument('notifications'),
    ];
    const imports = docs[0].paths['/imports/households'].post as unknown as Op;
    expect(imports.parameters?.find((p) => p.name === 'wait')).toMatchObject({ in: 'query', required: false });
    const decision = docs[0].paths['/tasks/{id}/decision'].post as unknown as Op;
    const keys = (decision.parameters ?? []).filter(
      (p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
    );
    expect(keys).toEqual([expect.objectContaining({ required: false })]);
    const authParams = docs.flatMap((d) =>
      Object.entries(d.paths).flatMap(([path, item]) =>
        Object.entries(item).flatMap(([method, op]) =>
          ((op as Op).parameters ?? [])
            .filter((p) => p.name.toLowerCase() === 'authorization')
            .map(() => `${method} ${path}`),
        ),
      ),
    );
    expect(authParams).toEqual([]);
  }, 60_000);

  it('every operation of every service documents its success answer with a schema and each error answer with the error shape', async () => {
    const missing: string[] = [];
    for (const service of ['registry', 'monitoring', 'notifications'] as const) {
      const doc = await openApiDocument(service);
      expect((doc.components?.schemas as Record<string, unknown> | undefined)?.ErrorBody).toBeDefined();
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, raw] of Object.entries(item)) {
          const op = raw as {
            security?: unknown[];
            responses: Record<string, { content?: Record<string, { schema?: { $ref?: string; type?: string } }> }>;
          };
          const where = `${service} ${method.toUpperCase()} ${path}`;
          const ok = Object.entries(op.responses).filter(([code]) => code.startsWith('2'));
          if (ok.length === 0 || ok.some(([, r]) => !r.content || Object.values(r.content).some((c) => !c.schema)))
            missing.push(`${where}: success answer without a schema`);
          const errors = Object.entries(op.responses).filter(([code]) => /^[45]/.test(code));
          // /health/ready's 503 is its own answer (which engine is down), for probes, not the error shape.
          const own = (code: string) => path === '/health/ready' && code === '503';
          for (const [code, r] of errors)
            if (!own(code) && r.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ErrorBody')
              missing.push(`${where}: ${code} without the error shape`);
          const codes = errors.map(([c]) => c);
          for (const c of [
            '400',
            '503',
            ...(op.security?.length ? ['401', '403', '429'] : []),
            ...(path.includes('{') ? ['404'] : []),
          ])
            if (!codes.includes(c)) missing.push(`${where}: ${c} not documented`);
        }
      }
    }
    expect(missing).toEqual([]);
  }, 120_000);
});
