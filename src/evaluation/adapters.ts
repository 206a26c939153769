import type { IdentityService } from '../identity/service.js';
import type { ApplicantDirectory, DepartmentDirectory } from './service.js';

/** Departments as identity keeps them (id, names, region). */
export function identityDepartments(identity: IdentityService): DepartmentDirectory {
  return {
    async find(departmentId) {
      const department = await identity.store.departmentById(departmentId);
      return department ? { id: department.id, nameZh: department.nameZh, nameEn: department.nameEn, regionCode: department.regionCode } : null;
    },
  };
}

/** The applicant's contact through identity's audited staff read, so the person sees who looked and why. */
export function identityApplicants(identity: IdentityService): ApplicantDirectory {
  return {
    async contactForStaff(staff, personId, purpose) {
      const person = await identity.readPersonForStaff(staff, personId, purpose);
      return { name: person.name, phone: person.phone };
    },
  };
}
