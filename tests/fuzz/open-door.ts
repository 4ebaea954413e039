/** The door's budgets opened wide, for fuzzing the handlers behind it (the door has its own tests). */
import { EVENT_FAMILIES, type Budget, type EventFamily, type LimitOverrides } from '../../server/limits/settings';

const plenty: Budget = { points: 1_000_000, seconds: 1 };
const wide = Object.fromEntries(EVENT_FAMILIES.map((family) => [family, plenty])) as Record<EventFamily, Budget>;

export const OPEN_DOOR: LimitOverrides = {
  perSocket: wide,
  perPlayer: wide,
  perAddress: wide,
  connectsPerAddress: plenty,
  joinsPerAddress: plenty,
  joinsPerRoom: plenty,
  sessionsPerAddress: plenty,
  codeMissesPerSocket: plenty,
  codeMissesPerAddress: plenty,
};
