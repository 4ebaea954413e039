import { describe, expect, it } from 'vitest';
import { teamLine } from '../../../app/components/stage/StageScreen';

describe('a team’s label on the projector', () => {
  it('shortens the first name, never the count', () => {
    expect(teamLine('Isabella Rodriguez', 4)).toBe('Isabella R… +4');
    expect(teamLine('Isabella Rodriguez', 4)).toHaveLength(14);
    expect(teamLine('Ada', 1)).toBe('Ada +1');
    expect(teamLine('Alexandria', 12)).toBe('Alexandria +12');
    expect(teamLine('Maximilianus', 12)).toBe('Maximilia… +12');
  });
});
