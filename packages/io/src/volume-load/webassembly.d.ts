// The few WebAssembly JS API declarations simd-int16.ts uses. They are in TypeScript's DOM
// library, which this Node package does not load (its tsconfig has lib ES2023 and Node's types,
// and @types/node 20 does not declare the WebAssembly global).
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
  }
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
