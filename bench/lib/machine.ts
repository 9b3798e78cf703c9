import { cpus, totalmem, release, platform, loadavg } from 'node:os';
import { serverFacts } from './db';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  loadAverageAtStart: number[];
}

export async function describeMachine(): Promise<Machine> {
  const cpu = cpus();
  const pg = await serverFacts();
  return {
    cpuModel: cpu[0]?.model?.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    postgres: pg.version,
    postgresSettings: pg.settings,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, node ${m.node}, PostgreSQL ${m.postgres}`;
}
