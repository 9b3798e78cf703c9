import type { TypeOrmModuleOptions } from '@nestjs/typeorm';

/** TypeORM connection of the read models: migrations, never synchronize. */
export function readModelDataSourceOptions(url: string): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url,
    entities: [],
    migrations: [],
    migrationsRun: true,
    synchronize: false,
    logging: false,
    extra: { max: 20, application_name: 'asuh-api' },
  };
}
