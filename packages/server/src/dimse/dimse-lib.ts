/**
 * dcmjs-dimse, loaded once. The package is a CommonJS (webpack) bundle: Node exposes it to ESM as
 * a default export only, so the named classes are taken from that object here and re-exported
 * with the package's own types.
 */
import dimseModule from 'dcmjs-dimse';

const dimse = dimseModule as unknown as typeof import('dcmjs-dimse');

export const { Client, Dataset, Scp, Server, constants, requests, responses } = dimse;
export type DimseDataset = InstanceType<typeof dimse.Dataset>;
export type DimseAssociation = Parameters<InstanceType<typeof dimse.Scp>['associationRequested']>[0];
export type DimseCStoreRequest = Parameters<InstanceType<typeof dimse.Scp>['cStoreRequest']>[0];
export type DimseCEchoRequest = Parameters<InstanceType<typeof dimse.Scp>['cEchoRequest']>[0];
export type DimseCFindRequest = Parameters<InstanceType<typeof dimse.Scp>['cFindRequest']>[0];
export type DimsePresentationContext = Parameters<InstanceType<typeof dimse.Scp>['createStoreWritableStream']>[0];

// The library logs every PDU at info level through loglevel; keep only its errors.
dimse.log.setLevel('error');
