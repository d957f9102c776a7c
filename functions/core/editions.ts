/**
 * Report editions (docs/architecture.md §6): every revision renders each report in Latvian and in English. The Latvian edition
 * keeps the historical file names (`<projectId>.pdf`, `programme.xlsx`); every other edition adds its language
 * before the extension (`<projectId>.en.pdf`), so archived names never change meaning.
 */
import type { Lang } from './types';

/** The editions a new revision renders, the Latvian (the programme's official language) first. */
export const EDITIONS: readonly Lang[] = ['lv', 'en'];

/** What goes before the extension of an edition's file: nothing for Latvian, `.en` for English. */
export function editionSuffix(edition: Lang): string {
  return edition === 'lv' ? '' : `.${edition}`;
}

/** One edition of a revision: the language it is written in and the language its file names carry. */
export interface Edition {
  lang: Lang;
  /** The edition its keys are named for; a revision planned before editions had one file set, named as Latvian. */
  fileEdition: Lang;
}

/**
 * The editions a plan (or manifest) renders. Plans written before editions existed name one `language` and no
 * `editions`: they had one set of files under the unsuffixed names, in that language, and re-render so.
 */
export function editionsOf(plan: { language: Lang; editions?: readonly Lang[] }): Edition[] {
  if (!plan.editions) return [{ lang: plan.language, fileEdition: 'lv' }];
  return plan.editions.map((lang) => ({ lang, fileEdition: lang }));
}

/** The edition a reader of `lang` gets from a revision: theirs when it was rendered, else the first one. */
export function editionFor(plan: { language: Lang; editions?: readonly Lang[] }, lang: Lang): Edition {
  const all = editionsOf(plan);
  return all.find((e) => e.lang === lang) ?? all[0]!;
}
