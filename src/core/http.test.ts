import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './testing.js';

describe('the HTTP foundation', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers health and readiness', async () => {
    expect((await t.app.inject('/api/health')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/api/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().database).toBe(process.env.DATABASE_URL ? 'postgres' : 'sqlite');
  });

  it('publishes an OpenAPI 3.1 document and the interactive docs page', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/health']).toBeDefined();
    const page = await t.app.inject('/api/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger');
  });

  it('answers an unknown API path with a translated problem', async () => {
    const zh = await t.app.inject('/api/v1/nothing-here');
    expect(zh.statusCode).toBe(404);
    expect(zh.headers['content-type']).toContain('application/problem+json');
    expect(zh.json()).toMatchObject({ status: 404, code: 'notFound', title: '未找到' });
    const en = await t.app.inject({ url: '/api/v1/nothing-here', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(en.json().title).toBe('Not found');
  });
});
