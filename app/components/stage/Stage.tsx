'use client';

import { describeError } from '../../../lib/client/errors';
import { describeStatus } from '../../../lib/client/connection';
import { useArena } from '../../../lib/client/react';
import { isJoinCode, JOIN_CODE_LENGTH } from '../../../lib/protocol';
import { StageScreen } from './StageScreen';

/** The projector page's live part: watches session `code` read-only and draws what the stage may see. */
export function Stage({ code }: { code: string }) {
  const valid = isJoinCode(code);
  const { view, status, error, retry, clockSkewMs } = useArena(valid ? { role: 'stage', code } : null);
  if (!valid) {
    return (
      <div className="stage stage--gate" data-phase="none">
        <div className="stage-gate" role="alert">
          <p className="stage-gate__code">{code || '—'}</p>
          <p>This is not a join code. A code has {JOIN_CODE_LENGTH} letters and digits: copy the stage link from the teacher’s dashboard.</p>
        </div>
      </div>
    );
  }
  if (!view) {
    const failed = status === 'denied' || status === 'outdated' || status === 'closed';
    return (
      <div className="stage stage--gate" data-phase="none">
        <div className="stage-gate" role={failed ? 'alert' : 'status'}>
          <p className="stage-gate__code">{code}</p>
          <p>{failed ? (error ? describeError(error) : 'The connection closed.') : `${describeStatus(status)}`}</p>
          {failed && (
            <button type="button" className="button" onClick={retry}>
              Try again
            </button>
          )}
        </div>
      </div>
    );
  }
  return <StageScreen view={view} connection={status === 'connected' ? null : describeStatus(status)} serverOffsetMs={clockSkewMs} />;
}
