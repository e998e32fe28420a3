import { useCallback, useEffect, useState } from 'react';
import { CONFIRMING_ROLES, confirmAnatomy, listStudyAnatomy, startAnatomy, type AnatomyStatus } from '../api/anatomy.ts';
import { me, type SeriesSummary } from '../api/archive.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { navigate, viewerPath } from '../router.ts';
import { anatomyStatusLine, confidenceWords } from './anatomy-words.ts';

export interface AnatomyPanelStudy {
  readonly studyUid: string;
  readonly role: string;
  readonly series: readonly SeriesSummary[];
}

/** How often a running anatomy is polled. */
const POLL_MS = 1000;

/**
 * The case's Anatomy tab (issue 5): for each CT series, find the spine (a run on the server, with
 * its progress), then the level count as the surgeon must judge it — the names, the confidence,
 * every cue found or missing with its sources, the reasons — and the confirmation step: a surgeon
 * or radiologist confirms the proposed numbering (planning refuses an unconfirmed, unverified
 * count); others see who must. The labels open on the images from here.
 */
export function AnatomyPanel({ studies, caseId }: { readonly studies: readonly AnatomyPanelStudy[]; readonly caseId: number }) {
  const [runs, setRuns] = useState<ReadonlyMap<string, AnatomyStatus>>(new Map());
  const [role, setRole] = useState<string>('');
  const [error, setError] = useState<unknown>();
  const refresh = useCallback(async () => {
    const all = (await Promise.all(studies.map((s) => listStudyAnatomy(s.studyUid)))).flat();
    setRuns(new Map(all.map((run) => [run.seriesUid, run])));
  }, [studies]);
  useEffect(() => {
    refresh().catch(setError);
    me().then((m) => setRole(m.role), setError);
  }, [refresh]);
  const running = [...runs.values()].some((run) => run.state === 'running');
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => void refresh().catch(setError), POLL_MS);
    return () => clearInterval(timer);
  }, [running, refresh]);

  const act = (work: () => Promise<unknown>): void => {
    setError(undefined);
    work().then(refresh).catch(setError);
  };
  const ctSeries = studies.flatMap((study) => study.series.filter((series) => series.modality === 'CT').map((series) => ({ study, series })));
  return (
    <div className="anatomy-panel" data-testid="anatomy-panel">
      <ErrorMessage error={error} onRetry={() => void refresh().catch(setError)} />
      <p className="decision-support">The level count and labels are computed and can be wrong: check them on the images. Keyhole supports decisions and does not replace clinical judgement.</p>
      {ctSeries.length === 0 && <p className="empty">No CT series in this case: the spine anatomy is computed from CT for now (MR is planned).</p>}
      {ctSeries.map(({ study, series }) => {
        const run = runs.get(series.seriesUid);
        const count = run?.levelCount;
        return (
          <article key={series.seriesUid} className="anatomy-series" data-testid="anatomy-series">
            <h2>
              {study.role}: CT series {series.number ?? ''} {series.description}
            </h2>
            <p data-testid="anatomy-state">{anatomyStatusLine(run)}</p>
            {run?.state === 'running' && <progress max={1} value={run.progress} data-testid="anatomy-progress" aria-label="anatomy progress" />}
            {run?.state !== 'running' && (
              <button type="button" onClick={() => act(() => startAnatomy(study.studyUid, series.seriesUid))} data-testid="anatomy-start">
                {run === undefined ? 'Find the spine' : 'Run again'}
              </button>
            )}
            {run?.state === 'done' && count !== undefined && (
              <>
                <p className="level-count" data-testid="level-count">
                  <strong>{count.labels.join(' · ')}</strong> — {confidenceWords(count)}
                </p>
                <table className="grid cues" data-testid="level-cues">
                  <thead>
                    <tr>
                      <th>Cue</th>
                      <th>Seen</th>
                      <th>What was seen</th>
                      <th>Source</th>
                    </tr>
                  </thead>
                  <tbody>
                    {count.cues.map((cue, i) => (
                      <tr key={`${cue.kind}-${i}`}>
                        <td>{cue.kind}</td>
                        <td>{cue.found ? 'yes' : 'no'}</td>
                        <td>{cue.detail}</td>
                        <td>{cue.sources.join(', ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {count.reasons.length > 0 && (
                  <ul className="reasons" data-testid="level-reasons">
                    {count.reasons.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ul>
                )}
                {run.confirmation !== undefined ? (
                  <p className="confirmed" data-testid="anatomy-confirmed">
                    Numbering confirmed by {run.confirmation.by} on {run.confirmation.at.slice(0, 16).replace('T', ' ')}.
                  </p>
                ) : CONFIRMING_ROLES.has(role) ? (
                  <button type="button" className="confirm" onClick={() => act(() => confirmAnatomy(study.studyUid, series.seriesUid, count.labels))} data-testid="anatomy-confirm">
                    Confirm numbering {count.labels[0]}–{count.labels[count.labels.length - 1]}
                  </button>
                ) : (
                  <p className="unconfirmed" data-testid="anatomy-unconfirmed">
                    Not confirmed yet: a surgeon or radiologist must confirm the numbering{count.verified ? '' : ' before planning'}.
                  </p>
                )}
                <button type="button" onClick={() => navigate(viewerPath(study.studyUid, series.seriesUid, caseId))} data-testid="anatomy-view">
                  View the labels on the images
                </button>
              </>
            )}
          </article>
        );
      })}
    </div>
  );
}
