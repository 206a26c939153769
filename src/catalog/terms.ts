/**
 * Search terms. Chinese has no spaces and `Intl.Segmenter` splits domain words (个体 | 工商 | 户),
 * so Chinese text is indexed as overlapping character pairs (bigrams) plus single characters, and
 * a query matches an item holding every bigram of the query: 个体工商户 is found whole, and 个体
 * alone finds it too. Latin text is indexed by whole words, lower-cased, without a few stop words.
 * Facets (audience, theme) are terms too, with a prefix no text term can have, so that one indexed
 * lookup answers keyword and facet filters together.
 */

const HAN = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;
const IS_HAN = /^\p{Script=Han}/u;
const MAX_TERM_LENGTH = 40;
const STOP_WORDS = new Set(['a', 'an', 'and', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);

function runs(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(HAN) ?? [];
}

/** Terms that index `text`: every character and character pair of Chinese runs, and every Latin word. */
export function indexTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const run of runs(text)) {
    if (IS_HAN.test(run)) {
      const chars = [...run];
      chars.forEach((char, i) => {
        terms.add(char);
        if (i + 1 < chars.length) terms.add(char + chars[i + 1]);
      });
    } else if (!STOP_WORDS.has(run)) {
      terms.add(run.slice(0, MAX_TERM_LENGTH));
    }
  }
  return [...terms];
}

/** Terms a query needs: the pairs of each Chinese run (a single character stands alone) and each Latin word. */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const run of runs(query)) {
    if (IS_HAN.test(run)) {
      const chars = [...run];
      if (chars.length === 1) terms.add(chars[0]!);
      for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i]! + chars[i + 1]);
    } else if (!STOP_WORDS.has(run)) {
      terms.add(run.slice(0, MAX_TERM_LENGTH));
    }
  }
  return [...terms];
}

export const facetTerm = (facet: 'audience' | 'theme', value: string) => `@${facet}:${value}`;

/** How strongly a term ties an item to a query: a name hit ranks above a keyword hit, above the rest. */
export const TERM_WEIGHT = { name: 8, keyword: 3, context: 1, facet: 0 } as const;

/** Collects terms with the highest weight each was seen with. */
export class TermCollector {
  readonly terms = new Map<string, number>();

  add(text: string | undefined, weight: number): this {
    if (!text) return this;
    for (const term of indexTerms(text)) this.put(term, weight);
    return this;
  }

  put(term: string, weight: number): this {
    const seen = this.terms.get(term);
    if (seen === undefined || weight > seen) this.terms.set(term, weight);
    return this;
  }
}
