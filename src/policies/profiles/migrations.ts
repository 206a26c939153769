import type { PlatformMigration } from '../../core/migrate.js';

/**
 * The population of enterprise profiles that policies are matched against: every enterprise the
 * authorities know, keyed by USCC, platform account or not. One column per built-in fact, NULL when
 * the fact is missing (never zero); list facts and facts declared by policy files live in child
 * tables, so that one SQL text (no JSON functions) reads them on both engines.
 *
 * Text that rules order or match by prefix (dates, codes, the region path) compares by code point,
 * as JavaScript compares it. `region_path` ('/310000/310100/310115/') lists the regions the
 * enterprise lies within, groupings included, so "within 310000" is a range on a prefix.
 */
export const enterpriseFactsMigration: PlatformMigration = {
  name: '0520-enterprise-facts',
  async up(db, dialect) {
    const text = dialect.codePointText;
    await db.schema
      .createTable('enterprise_facts')
      .addColumn('uscc', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .addColumn('region_code', text, (c) => c.notNull())
      .addColumn('region_path', text, (c) => c.notNull())
      .addColumn('industry_code', text)
      .addColumn('industry_section', text)
      .addColumn('entity_type', text)
      .addColumn('size_class', text)
      .addColumn('established_on', text)
      .addColumn('employees', 'double precision')
      .addColumn('insured_employees', 'double precision')
      .addColumn('operating_revenue', 'double precision')
      .addColumn('total_assets', 'double precision')
      .addColumn('taxable_income', 'double precision')
      .addColumn('taxpayer_type', text)
      .addColumn('tax_credit_rating', text)
      .addColumn('layoff_rate', 'double precision')
      .addColumn('unemployment_insurance_paid', 'double precision')
      .addColumn('untrustworthy', 'integer')
      // NULL: qualifications unknown; 0: known to be none (so `has` fails rather than asks).
      .addColumn('qualification_count', 'integer')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // Scans restricted to a policy's regions read one range of this index.
    await db.schema.createIndex('enterprise_facts_region_path').on('enterprise_facts').column('region_path').execute();

    // Items of list facts: qualifications and declared lists. The key answers `has` per enterprise.
    await db.schema
      .createTable('enterprise_fact_items')
      .addColumn('uscc', 'text', (c) => c.notNull().references('enterprise_facts.uscc').onDelete('cascade'))
      .addColumn('fact', 'text', (c) => c.notNull())
      .addColumn('item', text, (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('enterprise_fact_items_pk', ['uscc', 'fact', 'item'])
      .execute();

    // Facts declared by policy files. `kind` says which value column holds the value (booleans 0/1
    // in number_value; a list's items in enterprise_fact_items), so a rule never reads a number as text.
    await db.schema
      .createTable('enterprise_declared_facts')
      .addColumn('uscc', 'text', (c) => c.notNull().references('enterprise_facts.uscc').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('number_value', 'double precision')
      .addColumn('text_value', text)
      .addPrimaryKeyConstraint('enterprise_declared_facts_pk', ['uscc', 'name'])
      .execute();
  },
};
