import { Type } from '@sinclair/typebox';
import { requireRole, STAFF_ROLES, type Role } from '../core/auth.js';
import type { HttpApp } from '../core/http.js';
import { fieldInvalid } from '../core/errors.js';
import { isKnownRegion, NATIONWIDE_REGION_CODE } from '../reference/regions.js';
import { actorOf, type IdentityService } from './service.js';

const Level = Type.Union([Type.Literal('national'), Type.Literal('provincial'), Type.Literal('city'), Type.Literal('county')]);
const StaffRole = Type.Union(STAFF_ROLES.map((role) => Type.Literal(role)));

const DepartmentBody = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Z0-9-]{2,40}$', description: 'Stable department code' }),
    nameZh: Type.String({ minLength: 2, maxLength: 80 }),
    nameEn: Type.String({ minLength: 2, maxLength: 160 }),
    level: Level,
    regionCode: Type.String({ pattern: '^\\d{6}$' }),
  },
  { additionalProperties: false },
);
const Department = Type.Object({ id: Type.String(), code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), level: Level, regionCode: Type.String() });

const StaffBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 40 }),
    username: Type.String({ minLength: 3, maxLength: 40 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
    departmentId: Type.String({ maxLength: 64 }),
    roles: Type.Array(StaffRole, { minItems: 1, maxItems: STAFF_ROLES.length, uniqueItems: true }),
  },
  { additionalProperties: false },
);

function checkRegion(code: string): void {
  if (code !== NATIONWIDE_REGION_CODE && !isKnownRegion(code)) throw fieldInvalid('unknownRegion', '/regionCode', 'identity.region.unknown');
}

/** Administrators manage departments and staff accounts; every change is audited. */
export function identityAdminRoutes(app: HttpApp, identity: IdentityService): void {
  const tags = ['administration'];

  app.get('/api/v1/admin/departments', { schema: { tags, summary: 'List departments', response: { 200: Type.Array(Department) } } }, async (request) => {
    requireRole(request, 'admin', 'supervisor');
    return identity.store.listDepartments();
  });

  app.post('/api/v1/admin/departments', { schema: { tags, summary: 'Create a department', body: DepartmentBody, response: { 201: Department } } }, async (request, reply) => {
    const admin = requireRole(request, 'admin');
    checkRegion(request.body.regionCode);
    const department = await identity.createDepartment(request.body);
    await identity.audit({ action: 'admin.departmentCreated', actor: actorOf(admin), detail: { departmentId: department.id, code: department.code } });
    return reply.status(201).send(department);
  });

  app.post(
    '/api/v1/admin/staff',
    { schema: { tags, summary: 'Create a staff account bound to a department and its region', body: StaffBody, response: { 201: Type.Object({ staffId: Type.String(), accountId: Type.String() }) } } },
    async (request, reply) => {
      const admin = requireRole(request, 'admin');
      const department = await identity.store.departmentById(request.body.departmentId);
      if (!department) throw fieldInvalid('unknownDepartment', '/departmentId', 'identity.department.unknown');
      const created = await identity.createStaff(
        { ...request.body, roles: request.body.roles as Role[], regionCode: department.regionCode },
        actorOf(admin),
      );
      return reply.status(201).send(created);
    },
  );
}
