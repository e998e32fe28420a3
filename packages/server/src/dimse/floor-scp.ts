/**
 * The floor under any C-STORE SCP built on dcmjs-dimse, for the server benchmark
 * (packages/cli/src/bench/server/dimse-floor.ts): the same library and association settings as
 * Keyhole's SCP (scp.ts: Nagle off, 1 MiB PDUs, the sender's transfer syntax), and per C-STORE
 * nothing but, with FLOOR_MODE=fsync, writing the received data set to a new file and fsyncing it
 * (the durability Orthanc gives each instance: its file fdatasynced before the answer), or, with
 * FLOOR_MODE=none, nothing at all. No parsing, no checks, no index: whatever a real archive does
 * comes on top of this time.
 *
 * Run as its own process: `node --import tsx floor-scp.ts` with FLOOR_PORT, FLOOR_MODE, FLOOR_DIR;
 * prints "listening" when ready. Not part of the server.
 */
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { CollectingWritable } from './scp.ts';
import { Dataset, Scp, Server, constants, responses, type DimseAssociation, type DimseCStoreRequest, type DimseDataset, type DimsePresentationContext } from './dimse-lib.ts';

const { PresentationContextResult, Status } = constants;
const port = Number(process.env['FLOOR_PORT']);
const mode = process.env['FLOOR_MODE'] === 'fsync' ? 'fsync' : 'none';
const folder = process.env['FLOOR_DIR'] ?? '';
if (!Number.isInteger(port) || (mode === 'fsync' && folder === '')) throw new Error('floor-scp.ts needs FLOOR_PORT, and FLOOR_DIR with FLOOR_MODE=fsync');
if (mode === 'fsync') mkdirSync(folder, { recursive: true });
const received = new WeakMap<DimseDataset, Buffer>();
let written = 0;

class FloorScp extends Scp {
  override associationRequested(association: DimseAssociation): void {
    (this as unknown as { socket: Socket }).socket.setNoDelay(true);
    association.setMaxPduLength(1024 * 1024);
    for (const proposed of association.getPresentationContexts()) {
      const context = association.getPresentationContext(proposed.id);
      const first = context.getTransferSyntaxUids()[0];
      if (first !== undefined) context.setResult(PresentationContextResult.Accept, first);
    }
    this.sendAssociationAccept();
  }

  override associationReleaseRequested(): void {
    this.sendAssociationReleaseResponse();
  }

  override createStoreWritableStream(): Writable {
    return new CollectingWritable();
  }

  override createDatasetFromStoreWritableStream(writable: Writable, context: DimsePresentationContext, callback: (dataset: DimseDataset) => void): void {
    const dataset = new Dataset({}, context.getAcceptedTransferSyntaxUid());
    received.set(dataset, Buffer.concat((writable as CollectingWritable).chunks));
    callback(dataset);
  }

  override cStoreRequest(request: DimseCStoreRequest, callback: (response: InstanceType<typeof responses.CStoreResponse>) => void): void {
    const response = responses.CStoreResponse.fromRequest(request);
    const dataset = request.getDataset();
    const bytes = dataset === undefined ? undefined : received.get(dataset);
    if (mode === 'none' || bytes === undefined) {
      response.setStatus(bytes === undefined ? 0xc000 : Status.Success);
      callback(response);
      return;
    }
    void (async () => {
      const handle = await open(join(folder, `${written++}.dcm`), 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.datasync();
        response.setStatus(Status.Success);
      } catch {
        response.setStatus(Status.ProcessingFailure);
      } finally {
        await handle.close();
      }
      callback(response);
    })();
  }
}

const server = new Server(FloorScp);
server.on('listening', () => console.log('listening'));
server.listen(port);
