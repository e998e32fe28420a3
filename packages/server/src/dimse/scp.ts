import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { appendAudit, type AuditEntry } from '../audit/audit-log.ts';
import { storeInstances } from '../store/index.ts';
import { runCFind } from './c-find.ts';
import { allowedCallersFromDatabase, callerAllowed, normaliseAddress, type AllowedCaller } from './dicom-nodes.ts';
import {
  Dataset,
  Scp,
  Server,
  constants,
  responses,
  type DimseAssociation,
  type DimseCEchoRequest,
  type DimseCFindRequest,
  type DimseCStoreRequest,
  type DimseDataset,
  type DimsePresentationContext,
} from './dimse-lib.ts';
import { part10File } from './part10.ts';

const { PresentationContextResult, RejectResult, RejectSource, RejectReason, SopClass, Status, TransferSyntax } = constants;
const { CEchoResponse, CFindResponse, CStoreResponse } = responses;

export interface DimseServerOptions {
  /** The Keyhole app: its database (`app.keyhole.db`) and options (data folder, limits). */
  readonly app: FastifyInstance;
  /** TCP port; 0 picks a free one (tests). */
  readonly port: number;
  /** Our AE title; associations addressed to another called AE title are refused. */
  readonly aeTitle: string;
  /** Callers allowed besides the `dicom_node` table (read at every association, so edits apply at once). */
  readonly allowedCallers?: readonly AllowedCaller[];
}

export interface DimseServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Storage SOP classes all live under this root (PS3.4 Annex B, PS3.6 Annex A). */
const STORAGE_ROOT = '1.2.840.10008.5.1.4.1.1.';
/** Any C-STORE status in the Cxxx range means "cannot understand" (PS3.4 §B.2.3). */
const CANNOT_UNDERSTAND = 0xc000;
/** C-FIND "Unable to process" (PS3.4 §C.4.1.1.4). */
const UNABLE_TO_PROCESS = 0xc001;
/** Largest PDU we accept (PS3.8 §9.3.1: negotiated per association); 1 MiB. */
const MAX_PDU_LENGTH = 1024 * 1024;
/** Largest number of C-FIND answers sent for one query. */
const MAX_FIND_ANSWERS = 10_000;

/** Collects the data set of one C-STORE as it arrives, PDV by PDV. */
export class CollectingWritable extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }
}

/**
 * Keyhole's DIMSE service class provider: C-ECHO, C-STORE (every storage SOP class, stored as
 * received: the data set bytes in the transfer syntax the sender proposed first), and C-FIND at
 * STUDY and SERIES level of the Study Root information model.
 *
 * Calling AE titles must be configured (the `dicom_node` table or `allowedCallers`), optionally
 * with the caller's address; anything else is rejected at association time with "calling AE title
 * not recognized" (PS3.8 §9.3.4). Each C-STORE is stored on its own through storeInstances (one
 * atomic step per instance, after the whole data set has arrived), so a dropped association
 * leaves every finished instance stored and nothing of the unfinished one.
 */
export async function startDimseServer(options: DimseServerOptions): Promise<DimseServer> {
  const { app } = options;
  const db = app.keyhole.db;
  const archive = { db, dataDir: app.keyhole.options.dataDir };
  const limits = { maxInstancesPerRequest: app.keyhole.options.limits.maxInstancesPerRequest };
  const receivedBytes = new WeakMap<DimseDataset, Buffer>();

  class KeyholeScp extends Scp {
    private callingAeTitle = '';
    private remoteAddress = '';

    private get peerSocket(): Socket {
      return (this as unknown as { socket: Socket }).socket;
    }

    override associationRequested(association: DimseAssociation): void {
      this.callingAeTitle = association.getCallingAeTitle().trim();
      this.remoteAddress = normaliseAddress(this.peerSocket.remoteAddress ?? '');
      // No Nagle: a C-STORE response is one small PDU the sender waits for before its next
      // instance; with Nagle's algorithm and the peer's delayed ACK it can sit ~40 ms in our send
      // buffer (RFC 896, RFC 1122 §4.2.3.2), which is what bounds a synchronous SCU like storescu.
      this.peerSocket.setNoDelay(true);
      void this.decideAssociation(association);
    }

    private async decideAssociation(association: DimseAssociation): Promise<void> {
      const callers = [...(options.allowedCallers ?? []), ...(await allowedCallersFromDatabase(db).catch(() => []))];
      if (association.getCalledAeTitle().trim() !== options.aeTitle) {
        await this.auditAssociation('denied', `called AE title ${association.getCalledAeTitle().trim()} is not ours (${options.aeTitle})`);
        this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized);
        return;
      }
      if (!callerAllowed(callers, this.callingAeTitle, this.remoteAddress)) {
        await this.auditAssociation('denied', `calling AE title ${this.callingAeTitle} from ${this.remoteAddress} is not configured`);
        this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeNotRecognized);
        return;
      }
      // Large PDUs: a 512×512 slice in a few PDUs rather than 32 of the default 16 KiB; the per-PDU
      // cost in dcmjs-dimse dominates the C-STORE time otherwise.
      association.setMaxPduLength(MAX_PDU_LENGTH);
      for (const proposed of association.getPresentationContexts()) {
        const context = association.getPresentationContext(proposed.id);
        const abstract = context.getAbstractSyntaxUid();
        const syntaxes = context.getTransferSyntaxUids();
        if (abstract.startsWith(STORAGE_ROOT)) {
          // Keep the sender's encoding: accept the transfer syntax it proposes first (its preference,
          // PS3.8 §9.3.2.2) so the stored bytes are the sender's bytes; no transcoding here.
          const first = syntaxes[0];
          if (first !== undefined) context.setResult(PresentationContextResult.Accept, first);
          else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
        } else if (abstract === SopClass.Verification || abstract === SopClass.StudyRootQueryRetrieveInformationModelFind) {
          const syntax = [TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian].find((s) => syntaxes.includes(s));
          if (syntax !== undefined) context.setResult(PresentationContextResult.Accept, syntax);
          else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
        } else {
          context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
        }
      }
      this.sendAssociationAccept();
    }

    private async auditAssociation(outcome: 'denied' | 'failed', detail: string): Promise<void> {
      await appendAudit(db, { userName: this.callingAeTitle, role: 'dimse', action: 'dimse.associate', outcome, sourceAddress: this.remoteAddress, detail }).catch(() => undefined);
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }

    override cEchoRequest(request: DimseCEchoRequest, callback: (response: InstanceType<typeof CEchoResponse>) => void): void {
      const response = CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    override createStoreWritableStream(): Writable {
      return new CollectingWritable();
    }

    override createDatasetFromStoreWritableStream(writable: Writable, context: DimsePresentationContext, callback: (dataset: DimseDataset) => void): void {
      // The data set is kept as received; it is parsed once, by storeInstances, not by dcmjs here.
      const dataset = new Dataset({}, context.getAcceptedTransferSyntaxUid());
      receivedBytes.set(dataset, Buffer.concat((writable as CollectingWritable).chunks));
      callback(dataset);
    }

    override cStoreRequest(request: DimseCStoreRequest, callback: (response: InstanceType<typeof CStoreResponse>) => void): void {
      void this.store(request).then(callback);
    }

    private async store(request: DimseCStoreRequest): Promise<InstanceType<typeof CStoreResponse>> {
      const response = CStoreResponse.fromRequest(request);
      const dataset = request.getDataset();
      const bytes = dataset === undefined ? undefined : receivedBytes.get(dataset);
      const sopInstanceUid = request.getAffectedSopInstanceUid();
      const source = `C-STORE ${sopInstanceUid} from ${this.callingAeTitle}@${this.remoteAddress}`;
      if (dataset === undefined || bytes === undefined) {
        response.setStatus(CANNOT_UNDERSTAND);
        return response;
      }
      const audit = (outcome: 'success' | 'failed', detail: string, ref?: { patientId: string; studyUid: string }): AuditEntry => ({
        userName: this.callingAeTitle,
        role: 'dimse',
        action: 'dimse.c-store',
        outcome,
        ...(ref !== undefined ? { patientId: ref.patientId, studyUid: ref.studyUid } : {}),
        resource: sopInstanceUid,
        sourceAddress: this.remoteAddress,
        detail,
      });
      try {
        const file = part10File({ dataset: bytes, sopClassUid: request.getAffectedSopClassUid(), sopInstanceUid, transferSyntaxUid: dataset.getTransferSyntaxUid(), sourceAeTitle: this.callingAeTitle });
        // The audit entry of a stored (or already present) instance commits in the same
        // transaction as its rows: one commit per C-STORE, and no stored instance without its record.
        const result = await storeInstances({
          archive,
          files: [{ bytes: file, source }],
          // Checked on this thread: one instance at a time gains nothing from a worker, whose
          // round trip would only lengthen the wait storescu has before its next instance.
          limits,
          inTransaction: async (trx, outcome) => {
            const ref = outcome.stored[0] ?? outcome.duplicates[0];
            if (ref !== undefined) await appendAudit(trx, audit('success', outcome.stored.length > 0 ? 'stored' : 'duplicate: already stored', ref));
          },
        });
        const ref = result.stored[0] ?? result.duplicates[0];
        const failure = result.failed[0];
        // Refused instances never reach the transaction (nothing to commit): their entry is written here.
        if (ref === undefined) await appendAudit(db, audit('failed', failure?.error.message ?? 'not stored'));
        if (ref !== undefined) response.setStatus(Status.Success);
        else {
          response.setStatus(CANNOT_UNDERSTAND);
          response.setErrorComment((failure?.error.message ?? 'not stored').slice(0, 64));
        }
      } catch (error) {
        app.log.error(error);
        await appendAudit(db, audit('failed', `the archive failed to store the instance: ${(error as Error).message}`)).catch(() => undefined);
        response.setStatus(Status.ProcessingFailure);
        response.setErrorComment('the archive failed to store the instance'.slice(0, 64));
      }
      return response;
    }

    override cFindRequest(request: DimseCFindRequest, callback: (responses: Array<InstanceType<typeof CFindResponse>>) => void): void {
      void this.find(request).then(callback);
    }

    private async find(request: DimseCFindRequest): Promise<Array<InstanceType<typeof CFindResponse>>> {
      const identifier = request.getDataset()?.getElements() ?? {};
      const final = CFindResponse.fromRequest(request);
      try {
        const result = await runCFind({ db, identifier, limit: MAX_FIND_ANSWERS });
        await appendAudit(db, {
          userName: this.callingAeTitle,
          role: 'dimse',
          action: 'dimse.c-find',
          outcome: result.level === undefined ? 'failed' : 'success',
          ...(result.patientIds.length === 1 && result.patientIds[0] !== undefined ? { patientId: result.patientIds[0] } : {}),
          ...(result.studyUids.length === 1 && result.studyUids[0] !== undefined ? { studyUid: result.studyUids[0] } : {}),
          resource: `level ${result.level ?? String(identifier['QueryRetrieveLevel'] ?? '')}`,
          sourceAddress: this.remoteAddress,
          detail: result.level === undefined ? 'unsupported query level (STUDY and SERIES are)' : `${result.matches.length} matches; studies ${result.studyUids.slice(0, 20).join(' ')}`,
        });
        if (result.level === undefined) {
          final.setStatus(UNABLE_TO_PROCESS);
          final.setErrorComment('only STUDY and SERIES level');
          return [final];
        }
        const pending = result.matches.map((match) => {
          const response = CFindResponse.fromRequest(request);
          response.setDataset(new Dataset(match));
          response.setStatus(Status.Pending);
          return response;
        });
        final.setStatus(Status.Success);
        return [...pending, final];
      } catch (error) {
        app.log.error(error);
        final.setStatus(UNABLE_TO_PROCESS);
        return [final];
      }
    }
  }

  const server = new Server(KeyholeScp);
  const net = (): NetServer => (server as unknown as { server: NetServer }).server;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('networkError', (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))));
    server.listen(options.port);
  });
  server.on('networkError', (error: unknown) => app.log.warn({ err: error }, 'DIMSE network error'));
  const port = (net().address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const listener = net();
        server.close();
        if (listener.listening) listener.once('close', () => resolve());
        else resolve();
      }),
  };
}
