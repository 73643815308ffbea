// A run's id: 18 random bytes, 24 URL-safe characters, unguessable, so a run id is its own
// capability. People paste it into commands (`pkt attach <id>`), where one that began with '-'
// would be read as options: such a draw is made again (1 in 32), which costs no entropy worth a
// mention and keeps every id typeable.

import { randomBytes } from 'node:crypto';

export function newRunId(): string {
  for (;;) {
    const id = randomBytes(18).toString('base64url');
    if (id[0] !== '-' && id[0] !== '_') return id;
  }
}
