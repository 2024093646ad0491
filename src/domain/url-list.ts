import type { FieldError } from './errors.js';
import { err, ok } from './result.js';
import { problem, textPattern, textProblem, type Doc, type FieldRule } from './field-rule.js';

/** True for an absolute http(s) URL with a host. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Up to `maxItems` distinct absolute http(s) URLs of at most `itemMaxLength` characters each.
 * `item` documents one URL.
 */
export function urlList(
  bounds: { maxItems: number; itemMaxLength: number },
  doc: Doc & { item?: Doc } = {},
): FieldRule<readonly string[], typeof bounds> {
  const { maxItems, itemMaxLength } = bounds;
  const { item, ...listDoc } = doc;
  return {
    kind: 'url-list',
    bounds,
    schema: {
      type: 'array',
      items: { type: 'string', maxLength: itemMaxLength, format: 'uri', pattern: textPattern(), ...item },
      maxItems,
      uniqueItems: true,
      ...listDoc,
    },
    check(value, path) {
      if (!Array.isArray(value)) return problem(path, 'must be an array of URLs');
      // Too many items is the one thing to say about the list: its items are not looked at.
      if (value.length > maxItems) return problem(path, `must have at most ${maxItems} items`);
      const problems: FieldError[] = [];
      // Repeats are looked for once every item is text of a sane length, URL or not.
      let allText = true;
      value.forEach((url: unknown, index) => {
        const at = `${path}[${index}]`;
        const found = textProblem(url, itemMaxLength);
        if (found) {
          allText = false;
          problems.push({ path: at, message: found });
        } else if (!isHttpUrl(url as string)) {
          problems.push({ path: at, message: 'must be an absolute http or https URL' });
        }
      });
      if (allText) {
        value.forEach((url, index) => {
          if (value.indexOf(url) !== index) problems.push({ path: `${path}[${index}]`, message: 'is listed twice' });
        });
      }
      return problems.length > 0 ? err(problems) : ok([...(value as string[])]);
    },
  };
}
