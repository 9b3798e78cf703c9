import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { startApplication } from './bootstrap';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const started = await startApplication(config);
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(`Asuh API listening on http://${shown}:${config.port} (bound to ${config.host}; docs: /docs)\n`);
  const stop = async (signal: string) => {
    process.stdout.write(`${signal}: shutting down\n`);
    await started.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`Asuh failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
