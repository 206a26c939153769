import type { FastifyRequest } from 'fastify';
import type { FormField, Material } from '../../catalog/schema.js';
import { AppError, invalid, type FieldProblem } from '../../core/errors.js';
import { MultipartLimitError, readMultipart, type MultipartForm, type UploadedPart } from '../../files/multipart.js';
import { FILE_MAX_BYTES, PAGE_UPLOAD_MAX_BYTES, type FileService } from '../../files/service.js';
import type { ApplicationInput, MaterialInput, StoredMaterial } from '../service.js';
import { fieldInput, materialInput } from './components.js';

const MB = 1024 * 1024;
const PAGE_UPLOAD_MAX_FILES = 30;

/** A multipart page form, or the fields read before a limit broke (to show the form again). */
export async function readPageForm(request: FastifyRequest): Promise<{ form: MultipartForm } | { error: AppError; values: Record<string, string> }> {
  try {
    const form = await readMultipart(request, { maxFiles: PAGE_UPLOAD_MAX_FILES, maxBytes: PAGE_UPLOAD_MAX_BYTES, maxFileBytes: FILE_MAX_BYTES, maxFields: 400 });
    return { form };
  } catch (error) {
    if (error instanceof MultipartLimitError) return { error: withPageFields(error), values: error.values };
    throw error;
  }
}

/** The answers to the listed questions as the service takes them; a box left unticked is sent as "no". */
export function formValuesFrom(fields: Record<string, string>, questions: readonly FormField[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const question of questions) {
    const posted = fields[fieldInput(question.key)];
    values[question.key] = question.type === 'checkbox' ? (posted === 'true' ? 'true' : 'false') : (posted ?? '');
  }
  return values;
}

/**
 * What the applicant chose for each listed material: a certificate (with the consent box), the
 * government's data (ticking it is the consent), or files, which are checked and stored for the
 * account first. A reuse that was un-chosen removes the material; a material left alone is kept.
 * Every file problem is reported at once, before anything is stored.
 */
export async function materialsFrom(
  form: MultipartForm,
  materials: readonly Material[],
  current: Record<string, StoredMaterial>,
  files: FileService,
  accountId: string,
): Promise<Record<string, MaterialInput | null>> {
  const choices: Record<string, MaterialInput | null> = {};
  const uploads: { material: Material; parts: UploadedPart[] }[] = [];
  for (const material of materials) {
    const base = materialInput(material.key);
    const certificate = form.fields[`${base}-certificate`];
    const government = form.fields[`${base}-government`] === 'yes';
    const parts = material.uploadAllowed ? form.files.filter((f) => f.field === base) : [];
    const commitment = form.fields[`${base}-commitment`] === 'yes';
    if (commitment) {
      // One way per material: a commitment with files or a certificate as well is a mistake to point out, not to guess at.
      if (parts.length || (certificate && certificate !== 'none')) throw invalid('materialsInvalid', [{ field: `/materials/${material.key}`, message: 'applications.page.commitment.eitherOr' }], 'applications.material.invalid');
      choices[material.key] = { commitment: true };
    } else if (material.source === 'certificate' && certificate && certificate !== 'none') {
      choices[material.key] = { certificateId: certificate, consent: form.fields[`${base}-consent`] === 'yes' };
    } else if (material.source === 'governmentData' && government) {
      choices[material.key] = { governmentData: true, consent: true };
    } else if (parts.length) {
      uploads.push({ material, parts });
    } else if ((current[material.key]?.kind === 'certificate' || current[material.key]?.kind === 'certificateChoice') && certificate === 'none') {
      choices[material.key] = null;
    } else if (current[material.key]?.kind === 'governmentData' && material.source === 'governmentData' && !government) {
      choices[material.key] = null;
    } else if (current[material.key]?.kind === 'commitment' && form.fields[`${base}-commitment-offered`] === 'yes') {
      choices[material.key] = null;
    }
  }

  const problems: FieldProblem[] = [];
  const requests = uploads.flatMap(({ material, parts }) =>
    parts.map((part) => ({
      key: material.key,
      request: { filename: part.filename, bytes: part.bytes, allowedTypes: material.acceptedTypes, maxBytes: material.maxSizeMb * MB, field: `/materials/${material.key}` },
    })),
  );
  for (const { request } of requests) {
    try {
      await files.check(request);
    } catch (error) {
      if (error instanceof AppError && error.fields.length) problems.push(...error.fields);
      else throw error;
    }
  }
  if (problems.length) throw invalid('materialsInvalid', uniqueByField(problems), 'applications.material.invalid');
  for (const { key, request } of requests) {
    const stored = await files.store(accountId, request);
    const choice = choices[key];
    if (choice && 'fileIds' in choice) choice.fileIds.push(stored.id);
    else choices[key] = { fileIds: [stored.id] };
  }
  return choices;
}

function uniqueByField(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.field) ? false : (seen.add(p.field), true)));
}

export async function applicationInputFrom(
  form: MultipartForm,
  scope: { fields: readonly FormField[]; materials: readonly Material[] },
  current: Record<string, StoredMaterial>,
  files: FileService,
  accountId: string,
): Promise<ApplicationInput> {
  return { form: formValuesFrom(form.fields, scope.fields), materials: await materialsFrom(form, scope.materials, current, files, accountId) };
}

/**
 * The service names problems by JSON pointer into the application (`/form/name`,
 * `/materials/idCard`, `/opinion`); on the page each is an input with its own id. `rename` maps
 * the other pointers a page knows about.
 */
export function withPageFields<E>(error: E, rename: Record<string, string> = {}): E {
  if (!(error instanceof AppError) || error.fields.length === 0) return error;
  const fields = error.fields.map((problem) => ({ ...problem, field: `/${pageFieldOf(problem.field, rename)}` }));
  const unique = uniqueByField(fields);
  const renamed = new AppError(error.status, error.code, error.titleKey, error.detailKey, error.params, unique, error.headers);
  return (error instanceof MultipartLimitError ? new MultipartLimitError(renamed, error.values) : renamed) as E;
}

export function pageFieldOf(pointer: string, rename: Record<string, string> = {}): string {
  const parts = pointer.split('/').filter(Boolean);
  if (parts[0] === 'form' && parts[1]) return fieldInput(parts[1]);
  if (parts[0] === 'materials' && parts[1]) return materialInput(parts[1]);
  for (const [prefix, name] of Object.entries(rename)) {
    if (pointer === prefix || pointer.startsWith(`${prefix}/`)) return name;
  }
  // Files a page posted are named by their input already (`/material-idCard`).
  return parts[0] ?? '';
}
