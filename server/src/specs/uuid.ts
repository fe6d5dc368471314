// The `uuid` value: 32 hex digits in the 8-4-4-4-12 layout. Mirrors libxl_uuid_from_string(),
// which xl calls on the value; anything it cannot parse stops `xl create`.

import type { SpecLanguage, SpecParse, SpecProblem } from './types';

const GROUPS = [8, 4, 4, 4, 12];

export const uuidLanguage: SpecLanguage = {
  id: 'uuid',
  keys: [
    {
      name: 'uuid',
      doc: 'A UUID written as 32 hexadecimal digits in groups of 8, 4, 4, 4 and 12, separated by dashes (upper or lower case).',
      example: '6c9f2a3e-1b7d-4e0a-9d52-3f8e2b1c4a70',
    },
  ],
  parse(text: string): SpecParse {
    const problems: SpecProblem[] = [];
    if (!isUuid(text)) {
      problems.push({
        start: 0,
        end: text.length,
        severity: 'error',
        code: 'uuid',
        message: `"${text.length > 60 ? text.slice(0, 57) + '...' : text}" is not a UUID: write 8-4-4-4-12 hex digits, e.g. 6c9f2a3e-1b7d-4e0a-9d52-3f8e2b1c4a70 (xl stops with "Failed to parse UUID")`,
      });
    }
    return { parts: [{ key: 'uuid', value: text, start: 0, end: text.length, valueStart: 0, explicitKey: false }], problems };
  },
};

function isUuid(text: string): boolean {
  if (text.length !== 36) return false;
  let pos = 0;
  for (let group = 0; group < GROUPS.length; group++) {
    for (let digit = 0; digit < GROUPS[group]; digit++, pos++) if (!/[0-9a-fA-F]/.test(text[pos])) return false;
    if (group < GROUPS.length - 1) {
      if (text[pos] !== '-') return false;
      pos++;
    }
  }
  return true;
}
