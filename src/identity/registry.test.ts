import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../core/testing.js';
import { makeResidentId } from '../reference/testing.js';

/** A stand-in for the national population registry's HTTPS service, on a local port. */
function fakeRegistry(answer: () => { status: number; body: unknown }) {
  const seen: { authorization?: string; body: unknown }[] = [];
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      seen.push({ authorization: request.headers.authorization, body: JSON.parse(raw) });
      const { status, body } = answer();
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  return { server, seen };
}

describe('registration against a population registry reached over HTTP', () => {
  let answer = { status: 200, body: { result: 'match' } as unknown };
  const registry = fakeRegistry(() => answer);
  let t: Awaited<ReturnType<typeof createTestApp>>;
  const person = { name: '周敏', idNumber: makeResidentId({ region: '320106', birthDate: '1993-04-09', sequence: 46 }), phone: '13812345670', password: 'nanjing-spring-93' };

  beforeAll(async () => {
    await new Promise<void>((resolve) => registry.server.listen(0, '127.0.0.1', resolve));
    const address = registry.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    t = await createTestApp({ env: { POPULATION_REGISTRY_URL: `http://127.0.0.1:${port}/check`, POPULATION_REGISTRY_TOKEN: 'registry-token' } });
  });
  afterAll(async () => {
    await t.close();
    registry.server.close();
  });

  const register = () => t.app.inject({ method: 'POST', url: '/api/v1/identity/registrations', payload: person });
  const persons = async () => Number((await t.platform.db.selectFrom('persons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('answers 503 with nothing written while the registry is down, and says so plainly', async () => {
    answer = { status: 502, body: {} };
    const response = await register();
    expect(response.statusCode).toBe(503);
    expect(response.json().detail).toContain('人口信息库');
    expect(await persons()).toBe(0);
  });

  it('passes on the registry\'s "name does not match"', async () => {
    answer = { status: 200, body: { result: 'nameMismatch' } };
    expect((await register()).statusCode).toBe(422);
    expect(await persons()).toBe(0);
  });

  it('registers on a match, sending the name, the number and its token', async () => {
    answer = { status: 200, body: { result: 'match' } };
    expect((await register()).statusCode).toBe(201);
    expect(await persons()).toBe(1);
    expect(registry.seen.at(-1)).toEqual({ authorization: 'Bearer registry-token', body: { name: '周敏', idNumber: person.idNumber } });
  });
});
