import { translate } from '../core/i18n.js';
import { FULLY_ONLINE_DEPTH, type BundleField, type BundleMaterial, type BundleView, type FormField, type ItemDefinition, type ItemFigures, type ItemVersionView, type LocalizedText, type Material } from './schema.js';
import './messages.js';

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
  // Each item's own commitment words for a material: every department records its own item's text.
  const commitments = new Map<string, { itemId: string; itemName: LocalizedText; text: LocalizedText | undefined }[]>();
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
      const texts = commitments.get(material.key) ?? [];
      texts.push({ itemId: item.itemId, itemName: item.definition.name, text: commitmentTextOf(material) });
      commitments.set(material.key, texts);
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
      // A commitment replaces the material for the whole bundle only if every item that asks it accepts one.
      if (!material.commitmentAllowed && seen.commitmentAllowed) {
        delete seen.commitmentAllowed;
        delete seen.commitmentText;
      }
    }
  });
  for (const material of materials.values()) {
    if (!material.commitmentAllowed) continue;
    const distinct = distinctCommitments(commitments.get(material.key) ?? []);
    if (distinct.length === 1) material.commitmentText = distinct[0]!.text;
    else {
      delete material.commitmentText;
      material.commitmentTexts = distinct;
    }
  }
  return { fields: [...fields.values()], materials: [...materials.values()], conflicts };
}

/**
 * The words of a bundle material's commitment, grouped: one group when every item asking the
 * material uses the same words (offered as one combined commitment); otherwise each item's own
 * (`commitmentTexts`), so that the applicant reads exactly what each department will record.
 */
function distinctCommitments(texts: { itemId: string; itemName: LocalizedText; text: LocalizedText | undefined }[]): NonNullable<BundleMaterial['commitmentTexts']> {
  const groups = new Map<string, NonNullable<BundleMaterial['commitmentTexts']>[number]>();
  for (const { itemId, itemName, text } of texts) {
    if (!text) continue;
    const key = JSON.stringify([text['zh-CN'], text.en]);
    const group = groups.get(key) ?? { itemIds: [], itemNames: [], text };
    if (!group.itemIds.includes(itemId)) {
      group.itemIds.push(itemId);
      group.itemNames.push(itemName);
    }
    groups.set(key, group);
  }
  return [...groups.values()];
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

/**
 * The credit commitment (信用承诺) an applicant makes in place of a material: the item's own text,
 * or the standard one naming the material. Undefined when the material does not accept one.
 */
export function commitmentTextOf(material: Pick<Material, 'name' | 'commitmentAllowed' | 'commitmentText'>): LocalizedText | undefined {
  if (!material.commitmentAllowed) return undefined;
  return (
    material.commitmentText ?? {
      'zh-CN': translate('zh-CN', 'catalog.commitment.standardText', { material: material.name['zh-CN'] }),
      en: translate('en', 'catalog.commitment.standardText', { material: material.name.en }),
    }
  );
}
