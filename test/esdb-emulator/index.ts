export { startEsdbEmulator } from './esdb-emulator';
export type { EmulatorEvent, EsdbEmulator, EsdbEmulatorOptions } from './esdb-emulator';
