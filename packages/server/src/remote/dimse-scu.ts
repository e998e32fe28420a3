import { KeyholeError } from '@keyhole/core';
import { Client, constants, requests } from '../dimse/dimse-lib.ts';

/**
 * DIMSE service class user for a remote PACS: C-FIND at STUDY or SERIES level (Study Root) and
 * C-MOVE of a study or series to an AE title the PACS knows — normally our own SCP, so the
 * instances arrive through the same C-STORE path (and store) as any push. C-MOVE rather than
 * C-GET: dcmjs-dimse's C-GET SCU hands each instance over parsed by dcmjs, which re-encodes it,
 * while C-MOVE lands the sender's bytes in our SCP unchanged.
 */
export interface DimsePeer {
  readonly host: string;
  readonly port: number;
  /** The remote's AE title (called). */
  readonly aeTitle: string;
  /** Ours (calling). */
  readonly callingAeTitle: string;
}

export interface CFindScuOptions {
  readonly peer: DimsePeer;
  readonly level: 'STUDY' | 'SERIES';
  /** Naturalized keys (keyword → value; '' = return this key). */
  readonly keys: Readonly<Record<string, unknown>>;
  readonly timeoutMs?: number;
}

export interface CMoveScuOptions {
  readonly peer: DimsePeer;
  readonly destinationAeTitle: string;
  readonly studyUid: string;
  readonly seriesUid?: string;
  readonly timeoutMs?: number;
}

export interface CMoveScuResult {
  readonly completed: number;
  readonly failed: number;
  readonly warnings: number;
  readonly status: number;
}

const { Status } = constants;

/** Sends one request on a fresh association and settles when the association closes. */
function runAssociation(peer: DimsePeer, request: InstanceType<typeof requests.CFindRequest> | InstanceType<typeof requests.CMoveRequest>, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let failure: KeyholeError | undefined;
    client.on('associationRejected', (result: { reason?: number }) => {
      failure = new KeyholeError('REMOTE_NODE_FAILED', { message: `${peer.aeTitle} at ${peer.host}:${peer.port} rejected the association from ${peer.callingAeTitle} (reason ${String(result?.reason ?? '?')}); is ${peer.callingAeTitle} configured there?` });
    });
    client.on('networkError', (error: Error) => {
      failure ??= new KeyholeError('REMOTE_NODE_FAILED', { message: `DIMSE connection to ${peer.host}:${peer.port} failed: ${error.message}`, cause: error });
    });
    client.on('closed', () => (failure === undefined ? resolve() : reject(failure)));
    client.addRequest(request);
    client.send(peer.host, peer.port, peer.callingAeTitle, peer.aeTitle, { connectTimeout: 10_000, associationTimeout: timeoutMs, pduTimeout: timeoutMs });
  });
}

export async function cFindScu(options: CFindScuOptions): Promise<Array<Record<string, unknown>>> {
  const keys = { ...options.keys };
  const request = options.level === 'STUDY' ? requests.CFindRequest.createStudyFindRequest(keys) : requests.CFindRequest.createSeriesFindRequest(keys);
  const answers: Array<Record<string, unknown>> = [];
  let finalStatus: number | undefined;
  request.on('response', (response: InstanceType<typeof import('dcmjs-dimse').responses.CFindResponse>) => {
    const status = response.getStatus();
    if (status === Status.Pending && response.hasDataset()) answers.push(response.getDataset()?.getElements() ?? {});
    else if (status !== Status.Pending) finalStatus = status;
  });
  await runAssociation(options.peer, request, options.timeoutMs ?? 60_000);
  if (finalStatus !== Status.Success) throw new KeyholeError('REMOTE_NODE_FAILED', { message: `C-FIND at ${options.peer.aeTitle} ended with status 0x${(finalStatus ?? 0xffff).toString(16)}` });
  return answers;
}

export async function cMoveScu(options: CMoveScuOptions): Promise<CMoveScuResult> {
  const request =
    options.seriesUid === undefined
      ? requests.CMoveRequest.createStudyMoveRequest(options.destinationAeTitle, options.studyUid)
      : requests.CMoveRequest.createSeriesMoveRequest(options.destinationAeTitle, options.studyUid, options.seriesUid);
  let result: CMoveScuResult = { completed: 0, failed: 0, warnings: 0, status: 0xffff };
  request.on('response', (response: InstanceType<typeof import('dcmjs-dimse').responses.CMoveResponse>) => {
    result = { completed: response.getCompleted() ?? 0, failed: response.getFailures() ?? 0, warnings: response.getWarnings() ?? 0, status: response.getStatus() };
  });
  await runAssociation(options.peer, request, options.timeoutMs ?? 600_000);
  if (result.status !== Status.Success && result.status !== Status.Pending) {
    throw new KeyholeError('REMOTE_NODE_FAILED', { message: `C-MOVE from ${options.peer.aeTitle} to ${options.destinationAeTitle} ended with status 0x${result.status.toString(16)} (${result.completed} completed, ${result.failed} failed); does ${options.peer.aeTitle} know ${options.destinationAeTitle} as a destination?`, details: { ...result } });
  }
  return result;
}
