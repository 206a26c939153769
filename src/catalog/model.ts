import { FULLY_ONLINE_DEPTH, type BundleField, type BundleMaterial, type BundleView, type FormField, type ItemDefinition, type ItemFigures, type ItemVersionView, type Material } from './schema.js';

/**
 * The "at most one visit" figures of an item: how often the applicant must come in person, how
 * many materials the item lists and how many of those the government already holds (an electronic
 * certificate or shared data), and the promised against the legal time limit.
 */
export function figuresOf(definition: ItemDefinition): ItemFigures {
  const materialsAsked = definition.materials.length;
  const materialsReused = definition.materials.filter((m) => m.source === 'certificate' || m.source === 'governmentData').length;
  return {
    visits: definition.visits,
    materialsAsked,
    materialsReused,
    materialsToProvide: materialsAsked - materialsReused,
    promisedDays: definition.promisedLimitDays,
    legalDays: definition.legalLimitDays,
    fullyOnline: definition.onlineDepth === FULLY_ONLINE_DEPTH && definition.visits === 0,
  };
}

/** Where two items of a bundle disagree about a shared key: the later item and the key. */
export interface BundleConflict {
  kind: 'field' | 'material';
  key: string;
  /** Index of the later item in the bundle's list. */
  itemIndex: number;
}

const sameField = (a: FormField, b: FormField) =>
  a.type === b.type && (a.type !== 'select' || JSON.stringify((a.options ?? []).map((o) => o.value).sort()) === JSON.stringify((b.options ?? []).map((o) => o.value).sort()));
const sameMaterial = (a: Material, b: Material) => a.source === b.source && a.certificateType === b.certificateType && a.dataset === b.dataset;

/**
 * The combined form and material list of a bundle. A key is one question (or one material): asked
 * once, in the first item's wording, required when any item requires it, and listing every item
 * that asks it. Keys that mean different things in two items are reported as conflicts; the first
 * item's version is kept.
 */
export function combineBundle(items: Pick<ItemVersionView, 'itemId' | 'definition'>[]): { fields: BundleField[]; materials: BundleMaterial[]; conflicts: BundleConflict[] } {
  const fields = new Map<string, BundleField>();
  const materials = new Map<string, BundleMaterial>();
  const conflicts: BundleConflict[] = [];
  items.forEach((item, itemIndex) => {
    for (const field of item.definition.form.fields) {
      const seen = fields.get(field.key);
      if (!seen) {
        fields.set(field.key, { ...field, itemIds: [item.itemId] });
        continue;
      }
      if (!sameField(seen, field)) conflicts.push({ kind: 'field', key: field.key, itemIndex });
      if (!seen.itemIds.includes(item.itemId)) seen.itemIds.push(item.itemId);
      seen.required ||= field.required;
    }
    for (const material of item.definition.materials) {
      const seen = materials.get(material.key);
      if (!seen) {
        materials.set(material.key, { ...material, itemIds: [item.itemId] });
        continue;
      }
      if (!sameMaterial(seen, material)) conflicts.push({ kind: 'material', key: material.key, itemIndex });
      if (!seen.itemIds.includes(item.itemId)) seen.itemIds.push(item.itemId);
      if (material.requirement === 'required') {
        seen.requirement = 'required';
        delete seen.condition;
        delete seen.requiredWhen;
      }
      seen.uploadAllowed &&= material.uploadAllowed;
    }
  });
  return { fields: [...fields.values()], materials: [...materials.values()], conflicts };
}

/** Figures of a bundle: items run in parallel, so visits and days are the largest of any item. */
export function bundleFigures(items: ItemVersionView[], materials: BundleMaterial[]): BundleView['figures'] {
  const materialsReused = materials.filter((m) => m.source === 'certificate' || m.source === 'governmentData').length;
  return {
    items: items.length,
    departments: new Set(items.map((i) => i.departmentId)).size,
    visits: Math.max(0, ...items.map((i) => i.figures.visits)),
    materialsAsked: materials.length,
    materialsReused,
    materialsToProvide: materials.length - materialsReused,
    promisedDays: Math.max(0, ...items.map((i) => i.figures.promisedDays)),
    legalDays: Math.max(0, ...items.map((i) => i.figures.legalDays)),
    fullyOnline: items.every((i) => i.figures.fullyOnline),
  };
}
