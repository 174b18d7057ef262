import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cstDate, PHOTO_MAX_BYTES } from '@jingzhun/domain';
import { ownTemporal } from '../support/engines';
import { users } from '../support/fixtures';
import { procedureStack } from '../support/procedure-stack';
import { records } from '../support/records';
import { householdsDueRevisit } from '../support/revisits';

jest.setTimeout(180_000);

const png = readFileSync(join(__dirname, '../../apps/console/public/icon-192.png'));
const HOUR = 3_600_000;

/**
 * #24 on the registry: photos of evidence (type by content, size bounded, one row per phone-chosen id,
 * read only by who may read the household) and a revisit made offline (its time kept, judged by it,
 * both times audited, sent again by the outbox without a second record).
 */
describe('records made in the field, offline, with photos', () => {
  let server: Awaited<ReturnType<typeof ownTemporal>>;
  let stack: Awaited<ReturnType<typeof procedureStack>>;
  let household: { id: string; number: string };
  let revisit: { id: string; caseId: string; dueAt: string };

  beforeAll(async () => {
    server = await ownTemporal();
    stack = await procedureStack('field', server.address);
    const [due] = await householdsDueRevisit(stack, ['回访户主']);
    household = due;
    revisit = due.task;
    expect(revisit).toBeDefined();
  });
  afterAll(async () => {
    await stack?.close();
    await server?.stop();
  });

  const put = async (user: string, id: string, body: Buffer, type = 'image/png', query = '') =>
    stack.registry.http
      .put(`/households/${household.id}/photos/${id}${query}`)
      .set({ ...(await stack.auth(user)), 'content-type': type })
      .send(body);
  const photoCount = async () => Number((await stack.pg.query('SELECT count(*) FROM photo')).rows[0].count);

  it('refuses what is not an image (by content, whatever the name and type say) and what is too large, writing nothing', async () => {
    const text = await put(users.helperA, randomUUID(), Buffer.from('这不是照片, 只是改了扩展名的文本'), 'image/jpeg');
    expect([text.status, text.body.error.code]).toEqual([415, 'PHOTO_NOT_IMAGE']);
    expect(text.body.error.message).toContain('JPEG、PNG 或 WebP');
    const big = Buffer.concat([png, Buffer.alloc(PHOTO_MAX_BYTES)]);
    const large = await put(users.helperA, randomUUID(), big);
    expect([large.status, large.body.error.code]).toEqual([413, 'PHOTO_TOO_LARGE']);
    expect(large.body.error.message).toContain('500 kB');
    const label = await put(users.helperA, randomUUID(), png, 'image/png', '?label=自拍');
    expect(label.status).toBe(400);
    expect(label.body.error.message).toContain('label');
    // Another village's helper, and a helper of another household in the same village, may not add to this household.
    expect((await put(users.helperB, randomUUID(), png)).status).toBe(403);
    expect((await put(users.helperA2, randomUUID(), png)).status).toBe(403);
    expect(await photoCount()).toBe(0);
  });

  it('stores a photo once under the id the phone chose; the same id with other bytes is a 409', async () => {
    const id = randomUUID();
    const takenAt = new Date(Date.now() - 2 * HOUR).toISOString();
    const first = await put(
      users.helperA,
      id,
      png,
      'image/png',
      `?label=${encodeURIComponent('签字确认书')}&takenAt=${takenAt}`,
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id,
      contentType: 'image/png',
      size: png.length,
      label: '签字确认书',
      caseId: null,
    });
    expect(Date.parse(first.body.takenAt)).toBe(Date.parse(takenAt));
    const again = await put(users.helperA, id, png, 'image/png', `?label=${encodeURIComponent('签字确认书')}`);
    expect(again.status).toBe(200);
    expect(again.body.receivedAt).toBe(first.body.receivedAt);
    const other = await put(users.helperA, id, Buffer.concat([png, Buffer.from([0])]));
    expect([other.status, other.body.error.code]).toEqual([409, 'PHOTO_ID_TAKEN']);
    expect(await photoCount()).toBe(1);
    const audit = await stack.pg.query(`SELECT after FROM audit WHERE action = 'photo.uploaded' AND entity_id = $1`, [
      id,
    ]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].after).toMatchObject({ label: '签字确认书', contentType: 'image/png', size: png.length });
  });

  it('takes a revisit made offline two hours ago with its photo: judged by its own time, both times kept, sent twice recorded once', async () => {
    const photoId = randomUUID();
    expect((await put(users.helperA, photoId, png, 'image/png', '?label=%E6%88%B7%E5%8F%A3%E6%9C%AC')).status).toBe(
      200,
    );
    const helper = await stack.auth(users.helperA);
    const form = {
      incomeChange: 'same',
      newRisks: [],
      needs: { food: true, clothing: true, education: true, medical: true, housing: true, water: true },
      note: '离线记录',
    };
    const send = (key: string, extra: Record<string, unknown>) =>
      stack.registry.http
        .post(`/tasks/${revisit.id}/decision`)
        .set({ ...helper, 'Idempotency-Key': key })
        .send({ decision: 'approve', comment: '', data: form, ...extra });

    const future = await send('field-future-1', { recordedAt: new Date(Date.now() + HOUR).toISOString() });
    expect(future.status).toBe(400);
    expect(future.body.error.details.issues[0].path).toBe('recordedAt');
    const unknownPhoto = await send('field-unknown-1', { photoIds: [randomUUID()] });
    expect(unknownPhoto.status).toBe(400);
    expect(unknownPhoto.body.error.details.issues[0].path).toBe('photoIds');
    const recordedAt = new Date(Date.now() - 2 * HOUR).toISOString();
    const body = { recordedAt, photoIds: [photoId] };
    // The task opened seconds ago: a record made two hours ago predates it.
    const early = await send('field-early-1', body);
    expect([early.status, early.body.error.code]).toEqual([409, 'RECORDED_BEFORE_TASK']);
    // As in the field: the task was opened yesterday (the clock cannot move in a test: moved by SQL).
    await stack.pg.query(`UPDATE task SET created_at = now() - interval '1 day' WHERE id = $1`, [revisit.id]);
    const first = await send('field-offline-1', body);
    expect(first.status).toBe(200);
    const replay = await send('field-offline-1', body);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    const twice = await send('field-offline-2', body);
    expect(twice.status).toBe(409);

    const visits = await stack.pg.query(`SELECT visited_at, received_at, late FROM visit WHERE task_id = $1`, [
      revisit.id,
    ]);
    expect(visits.rows).toHaveLength(1);
    expect(Math.abs(visits.rows[0].visited_at.getTime() - Date.parse(recordedAt))).toBeLessThan(1000);
    expect(visits.rows[0].received_at.getTime() - visits.rows[0].visited_at.getTime()).toBeGreaterThan(HOUR);
    expect(visits.rows[0].late).toBe(Date.parse(recordedAt) > Date.parse(revisit.dueAt));
    const audited = await stack.pg.query(
      `SELECT after FROM audit WHERE action = 'task.field_record' AND entity_id = $1`,
      [revisit.id],
    );
    expect(audited.rows).toHaveLength(1);
    expect(audited.rows[0].after).toMatchObject({ recordedAt, photoIds: [photoId] });
    expect(Date.parse(audited.rows[0].after.receivedAt)).toBeGreaterThan(Date.parse(recordedAt) + HOUR);

    // The photo is with the record: listed on the case, served to who may read the household, to no one else.
    const listed = await stack.registry.http
      .get(`/cases/${revisit.caseId}/photos`)
      .set(await stack.auth(users.villageA));
    expect(listed.status).toBe(200);
    expect(listed.body.map((p: { id: string; taskId: string }) => [p.id, p.taskId])).toEqual([[photoId, revisit.id]]);
    const bytes = await stack.registry.http
      .get(`/photos/${photoId}`)
      .set(await stack.auth(users.townshipA))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(bytes.status).toBe(200);
    expect(bytes.headers['content-type']).toBe('image/png');
    expect(bytes.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(bytes.body as Buffer, png)).toBe(0);
    expect((await stack.registry.http.get(`/photos/${photoId}`).set(await stack.auth(users.helperA2))).status).toBe(
      403,
    );
    expect((await stack.registry.http.get(`/photos/${photoId}`).set(await stack.auth(users.villageB))).status).toBe(
      403,
    );
    expect(
      (await stack.registry.http.get(`/cases/${revisit.caseId}/photos`).set(await stack.auth(users.helperB))).status,
    ).toBe(403);
  });

  it("入户核实's assessment sent again by the outbox with its key is recorded once", async () => {
    const helper = { ...(await stack.auth(users.helperA)), 'Idempotency-Key': 'field-assessment-1.a' };
    const body = { year: new Date().getFullYear(), assessedOn: cstDate(), ...records.findings({ wageIncome: 12000 }) };
    const count = async () =>
      Number(
        (await stack.pg.query('SELECT count(*) FROM assessment WHERE household_id = $1', [household.id])).rows[0].count,
      );
    const before = await count();
    const first = await stack.registry.http.post(`/households/${household.id}/assessments`).set(helper).send(body);
    expect(first.status).toBe(201);
    const again = await stack.registry.http.post(`/households/${household.id}/assessments`).set(helper).send(body);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(await count()).toBe(before + 1);
    const other = await stack.registry.http
      .post(`/households/${household.id}/assessments`)
      .set(helper)
      .send({ ...body, wageIncome: 13000 });
    expect([other.status, other.body.error.code]).toEqual([422, 'IDEMPOTENCY_KEY_BODY_MISMATCH']);
  });
});
