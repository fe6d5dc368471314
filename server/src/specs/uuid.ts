// The `uuid` value: 32 hex digits in the 8-4-4-4-12 layout. Mirrors libxl_uuid_from_string(),
// which xl calls on the value; anything it cannot parse stops `xl create`.

import type { SpecKeyDoc } from '../catalogue/types';
import { isUuid, language, quoted } from './common';

const UUID_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'uuid',
    doc: 'A UUID written as 32 hexadecimal digits in groups of 8, 4, 4, 4 and 12, separated by dashes (upper or lower case).',
    example: '6c9f2a3e-1b7d-4e0a-9d52-3f8e2b1c4a70',
  },
];

export const uuidLanguage = language('uuid', UUID_KEYS, (text, out) => {
  if (!isUuid(text)) {
    out.error(0, text.length, 'uuid', `${quoted(text)} is not a UUID: write 8-4-4-4-12 hex digits, e.g. 6c9f2a3e-1b7d-4e0a-9d52-3f8e2b1c4a70 (xl stops with "Failed to parse UUID")`);
  }
  out.part('uuid', text, 0, text.length, 0, false);
});
