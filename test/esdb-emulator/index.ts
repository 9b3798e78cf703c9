export { startEsdbEmulator } from './esdb-emulator';
export type { EsdbEmulator, EsdbEmulatorOptions } from './esdb-emulator';
