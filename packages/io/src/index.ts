// Public surface of @keyhole/io: the Node file boundary.
export * from './files/index.ts';
export * from './codecs/index.ts';
export * from './dicom-input/index.ts';
export * from './drr/index.ts';
export * from './volume-load/index.ts';
export * from './segmentation/index.ts';
